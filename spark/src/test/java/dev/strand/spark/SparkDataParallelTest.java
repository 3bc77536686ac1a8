package dev.strand.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.data.MlmMasker;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.genomics.train.MaskedLanguageModelling;
import dev.strand.genomics.train.WindowShards;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import dev.strand.nn.Module;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.optim.Schedule;
import dev.strand.nn.train.Batch;
import dev.strand.nn.train.GradientSource;
import dev.strand.nn.train.ShardedObjective;
import dev.strand.nn.train.TrainingListener;
import dev.strand.nn.train.TrainingLoop;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data-parallel training on Spark in local mode reproduces single-process training at the same
 * global batch: the same loss at every step and the same final weights, to float rounding (the
 * shards' gradients are added in another order than one backward pass adds the rows'); and a task
 * lost mid-run is run again by Spark with the same result.
 */
class SparkDataParallelTest {
    private static final int STEPS = 5, BATCH = 8, WINDOW = 40;
    private static final Tokenizer TOKENIZER = new KmerTokenizer(3);
    private static final TransformerConfig CONFIG = new TransformerConfig(TOKENIZER.vocabSize(), 16, 2, 2, 32, WINDOW, 0f, true, Positions.ROPE, 1e-5f);

    /** What a run leaves: the loss of every step and the final weights. */
    private record Run(List<Float> losses, Map<String, Tensor> weights) {}

    /** A masked-LM run over seeded random DNA; {@code gradients} turns its objective into the gradient source (null: this process). */
    private static Run train(Function<MaskedLanguageModelling, GradientSource> gradients) throws Exception {
        return train(null, gradients);
    }

    /**
     * A masked-LM run; over seeded random DNA drawn here when {@code shards} is null, else over
     * windows drawn shard by shard by whoever trains on them.
     */
    private static Run train(WindowShards shards, Function<MaskedLanguageModelling, GradientSource> gradients) throws Exception {
        BertModel model = new BertModel(CONFIG, new Generator(7));
        Generator data = new Generator(11), masks = new Generator(13);
        MaskedLanguageModelling mlm = shards == null
                ? new MaskedLanguageModelling(model, TOKENIZER, MlmMasker.bert(TOKENIZER), () -> randomDna(data), masks)
                : new MaskedLanguageModelling(model, TOKENIZER, shards, data);
        AdamW adamW = AdamW.adamW(model.namedParameters(), 3e-3f, 0.01f);
        Schedule schedule = Schedule.constant(3e-3f);
        TrainingLoop.Settings settings = TrainingLoop.Settings.of(STEPS);
        GradientSource source = gradients != null ? gradients.apply(mlm) : shards != null ? GradientSource.inParts(mlm) : null;
        TrainingLoop loop = source == null ? new TrainingLoop(model, adamW, schedule, mlm, settings)
                : new TrainingLoop(model, adamW, schedule, source, settings);
        List<Float> losses = new ArrayList<>();
        loop.listen(new TrainingListener() {
            @Override
            public void step(StepReport r) {
                losses.add(r.loss());
            }
        }).run();
        return new Run(losses, model.stateDict());
    }

    private static Tensor randomDna(Generator gen) {
        int[] ids = new int[BATCH * WINDOW];
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < BATCH; b++) {
            sb.setLength(0);
            for (int i = 0; i < WINDOW; i++) sb.append("ACGT".charAt(gen.nextInt(4)));
            int[] row = TOKENIZER.encodeWithSpecials(sb.toString());   // WINDOW - 2 3-mers and two specials
            System.arraycopy(row, 0, ids, b * WINDOW, WINDOW);
        }
        return Tensor.ofInts(ids, BATCH, WINDOW);
    }

    private static JavaSparkContext spark(String master) {
        return new JavaSparkContext(new SparkConf().setMaster(master).setAppName("strand-test").set("spark.ui.enabled", "false"));
    }

    /** Bit for bit: every loss and every weight. */
    private static void assertIdentical(Run expected, Run got) {
        assertEquals(expected.losses(), got.losses());
        expected.weights().forEach((name, w) -> assertArrayEquals(w.toFloatArray(), got.weights().get(name).toFloatArray(), name));
    }

    private static void assertSameRun(Run expected, Run got) {
        for (int s = 0; s < STEPS; s++) {
            assertEquals(expected.losses().get(s), got.losses().get(s), 1e-6 * Math.abs(expected.losses().get(s)), "loss at step " + (s + 1));
        }
        expected.weights().forEach((name, w) -> {
            float[] a = w.toFloatArray(), b = got.weights().get(name).toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-6 * Math.max(1f, Math.abs(a[i])), name + "[" + i + "]");
            }
        });
    }

    @Test
    void twoReplicasReproduceOneProcessStepByStep() throws Exception {
        Run single = train(null);
        try (JavaSparkContext sc = spark("local[2]")) {
            Run parallel = train(mlm -> new SparkGradients(sc, mlm, 2));
            assertSameRun(single, parallel);
            assertTrue(single.losses().get(STEPS - 1) < single.losses().get(0), "it learns: " + single.losses());
            Run again = train(mlm -> new SparkGradients(sc, mlm, 2));
            assertEquals(parallel.losses(), again.losses(), "the same seeds give the same run, bit for bit");
        }
    }

    /** Fails the first attempt of one task, once: a task lost mid-run. */
    private record FailingOnce(ShardedObjective.Replica inner) implements ShardedObjective.Replica {
        static final AtomicInteger CALLS = new AtomicInteger();

        @Override
        public Module build() {
            return inner.build();
        }

        @Override
        public ShardedObjective.Part loss(Module model, Batch rows) {
            if (CALLS.incrementAndGet() == 6 && TaskContext.get().attemptNumber() == 0) throw new IllegalStateException("task lost (test)");
            return inner.loss(model, rows);
        }
    }

    /** Windows of the lambda genome (a copy in {@code dir}), read through Hadoop, drawn as {@code count} shards of a batch. */
    private static WindowShards lambdaShards(Path dir, int count) throws Exception {
        Path fasta = Files.copy(Path.of("../app/src/test/resources/lambda_virus.fa"), dir.resolve("lambda.fa"), StandardCopyOption.REPLACE_EXISTING);
        PretrainingWindows.Spec spec = new PretrainingWindows.Spec(WINDOW, List.of(PretrainingWindows.HeldOut.lastFraction(0.1)),
                PretrainingWindows.NPolicy.SKIP_ANY, 0.5);
        return new WindowShards(List.of(new HadoopFasta(fasta.toUri().toString())), spec, List.of(), Tokenizers.toJson(TOKENIZER), BATCH, count, 5, WindowShards.Target.MASKED);
    }

    @Test
    void replicasDrawingTheirOwnShardsReproduceOneProcessDrawingThemAll(@TempDir Path dir) throws Exception {
        WindowShards shards = lambdaShards(dir, 4);
        Run single = train(shards, null);
        try (JavaSparkContext sc = spark("local[2]")) {
            assertIdentical(single, train(shards, mlm -> new SparkGradients(sc, mlm, 2)));   // two shards a replica
            assertIdentical(single, train(shards, mlm -> new SparkGradients(sc, mlm, 4)));   // one each
        }
    }

    @ParameterizedTest(name = "data sharded: {0}")
    @ValueSource(booleans = {false, true})
    void aTaskLostMidRunIsRunAgainAndTheRunEndsWithTheSameWeights(boolean sharded, @TempDir Path dir) throws Exception {
        WindowShards shards = sharded ? lambdaShards(dir, 2) : null;
        Run single = train(shards, null);
        FailingOnce.CALLS.set(0);
        try (JavaSparkContext sc = spark("local[2,3]")) {                       // up to 3 attempts a task
            Run parallel = train(shards, mlm -> new SparkGradients(sc, new ShardedObjective() {
                @Override public Module model() { return mlm.model(); }
                @Override public Batch nextBatch() { return mlm.nextBatch(); }
                @Override public Draw nextDraw() { return mlm.nextDraw(); }
                @Override public Replica replica() { return new FailingOnce(mlm.replica()); }
            }, 2));
            assertTrue(FailingOnce.CALLS.get() > 2 * STEPS, "a task ran twice: " + FailingOnce.CALLS.get() + " calls");
            if (sharded) assertIdentical(single, parallel);
            else assertSameRun(single, parallel);
        }
    }
}

package dev.strand.spark;

import dev.strand.genomics.data.MlmMasker;
import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.io.GenomeSource;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.genomics.train.WindowShards;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.train.MaskedLanguageModelling;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.optim.Schedule;
import dev.strand.nn.train.GradientSource;
import dev.strand.nn.train.TrainingLoop;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * What data parallelism on Spark costs and gains (a benchmark, not a test): BASELINES.md's
 * BERT-small (d 256, 4 layers, 4 heads, 6-mer vocabulary of 4,101, 512 tokens, batch 8) trained
 * as a masked LM for a few steps in one process, then on Spark with each replica count given;
 * prints the median step time, the slowest task's own time, the exchange (the rest), and the
 * speed-up over one process. With {@code --data shards} (the default, what {@code --spark} does)
 * each replica draws its own data shard from a FASTA of random DNA; with {@code --data driver} the
 * driver draws each batch and ships each replica its rows.
 *
 * <pre>
 * SPARK_HOME=DIR_WITH_jars SPARK_SCALA_VERSION=2.13 java --add-modules jdk.incubator.vector \
 *     -cp "spark/target/strand-spark.jar:spark/target/lib/*" dev.strand.spark.SparkScalingBenchmark \
 *     [--master local-cluster[N,1,2048]] [--replicas 1,2,4] [--steps 6] [--data shards|driver]
 * </pre>
 * {@code local-cluster[N,1,M]} starts N executor JVMs of one core; it needs SPARK_HOME to name a
 * directory whose {@code jars/} holds the module's jars (Spark looks for its launcher there).
 */
public final class SparkScalingBenchmark {
    private static final int VOCAB_K = 6, SEQ = 512, BATCH = 8;

    private SparkScalingBenchmark() {}

    public static void main(String[] args) throws Exception {
        String master = "local-cluster[4,1,2048]";
        int steps = 6;
        int[] replicaCounts = {1, 2, 4};
        boolean sharded = true;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--master" -> master = args[i + 1];
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                case "--replicas" -> replicaCounts = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--data" -> sharded = switch (args[i + 1]) {
                    case "shards" -> true;
                    case "driver" -> false;
                    default -> throw new IllegalArgumentException("--data is shards or driver, got " + args[i + 1]);
                };
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --master, --replicas, --steps, --data");
            }
        }
        Path fasta = sharded ? randomGenome() : null;
        double single = median(run(null, 0, steps, null).steps());
        System.out.printf(Locale.ROOT, "one process: %.3f s a step (median of %d after a warm-up step)%n", single, steps - 1);
        SparkConf conf = new SparkConf().setMaster(master).setAppName("strand-scaling")
                .set("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector").set("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            System.out.println("replicas | step s | slowest task s | exchange s | speed-up over one process | efficiency");
            for (int r : replicaCounts) {
                Result res = run(sc, r, steps, fasta);
                double step = median(res.steps()), task = median(res.tasks());
                System.out.printf(Locale.ROOT, "%d | %.3f | %.3f | %.3f | %.2f× | %.0f %%%n", r, step, task, step - task, single / step, 100 * single / step / r);
            }
        }
    }

    private record Result(List<Double> steps, List<Double> tasks) {}

    /** {@code fasta}: replicas draw their own shards of its windows; null: the driver draws every batch. */
    private static Result run(JavaSparkContext sc, int replicas, int steps, Path fasta) throws Exception {
        Tokenizer tokenizer = new KmerTokenizer(VOCAB_K);
        TransformerConfig config = new TransformerConfig(tokenizer.vocabSize(), 256, 4, 4, 1024, SEQ, 0f, true, Positions.LEARNED, 1e-5f);
        BertModel model = new BertModel(config, new Generator(1));
        Generator data = new Generator(2);
        MaskedLanguageModelling mlm = fasta == null
                ? new MaskedLanguageModelling(model, tokenizer, MlmMasker.bert(tokenizer), () -> dna(tokenizer, data), new Generator(3))
                : new MaskedLanguageModelling(model, tokenizer, new WindowShards(List.of(GenomeSource.fasta(fasta)),
                        new PretrainingWindows.Spec(SEQ - 2 + VOCAB_K - 1, List.of(PretrainingWindows.HeldOut.lastFraction(0.1)),
                                PretrainingWindows.NPolicy.SKIP_ANY, 0.5), List.of(), Tokenizers.toJson(tokenizer), BATCH, replicas, 4, WindowShards.Target.MASKED), data);
        SparkGradients spark = sc == null ? null : new SparkGradients(sc, mlm, replicas);
        GradientSource local = GradientSource.local(mlm, 1);
        List<Double> stepTimes = new ArrayList<>(), taskTimes = new ArrayList<>();
        GradientSource timed = () -> {
            long t = System.nanoTime();
            GradientSource.Step s = (spark == null ? local : spark).compute();
            stepTimes.add((System.nanoTime() - t) / 1e9);
            taskTimes.add(spark == null ? stepTimes.getLast() : spark.lastTiming().slowestTaskSeconds());
            return s;
        };
        new TrainingLoop(model, AdamW.adamW(model.namedParameters(), 1e-4f, 0.01f), Schedule.constant(1e-4f), timed, TrainingLoop.Settings.of(steps)).run();
        return new Result(stepTimes.subList(1, stepTimes.size()), taskTimes.subList(1, taskTimes.size()));   // the first step warms up
    }

    /** A FASTA of 1 Mb of random DNA in a temp directory, for the replicas to draw windows from. */
    private static Path randomGenome() throws java.io.IOException {
        Generator gen = new Generator(5);
        StringBuilder sb = new StringBuilder(">random\n");
        for (int i = 0; i < 1_000_000; i++) sb.append("ACGT".charAt(gen.nextInt(4))).append(i % 60 == 59 ? "\n" : "");
        Path fasta = Files.createTempDirectory("strand-bench").resolve("random.fa");
        return Files.writeString(fasta, sb.append('\n'));
    }

    private static Tensor dna(Tokenizer tokenizer, Generator gen) {
        int[] ids = new int[BATCH * SEQ];
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < BATCH; b++) {
            sb.setLength(0);
            for (int i = 0; i < SEQ - 2 + VOCAB_K - 1; i++) sb.append("ACGT".charAt(gen.nextInt(4)));
            System.arraycopy(tokenizer.encodeWithSpecials(sb.toString()), 0, ids, b * SEQ, SEQ);
        }
        return Tensor.ofInts(ids, BATCH, SEQ);
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}

package dev.strand.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strand.genomics.baseline.KmerLogisticRegression;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.metrics.TaskScores;
import dev.strand.genomics.tasks.FineTuningData;
import dev.strand.genomics.train.DataParallel;
import dev.strand.genomics.train.FineTuning;
import dev.strand.nn.checkpoint.RunLock;
import dev.strand.nn.transformer.SequenceHead;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Fine-tunes a pretrained masked language model (or the same model from scratch) on a labelled task. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune a pretrained model on a labelled task; report dev and test metrics (and a k-mer baseline).")
final class FinetuneCommand extends StepCommand<FinetuneCommand.Outcome> {
    @Mixin DeviceOption device;

    @Mixin ModelOption model;

    @Mixin AdapterOption adapter;

    @Mixin FineTuningDataOptions dataSource;

    @Mixin DataParallelOptions parallel;

    @Option(names = "--from-scratch", description = "Random weights with the pretrained model's config and tokenizer (the control).")
    boolean fromScratch;

    @Option(names = "--pooling", defaultValue = "cls", description = "cls or mean (default ${DEFAULT-VALUE}).")
    String pooling;

    @Option(names = "--truncate", defaultValue = "error",
            description = "Rows longer than the model's limit: error, right, left or center (default ${DEFAULT-VALUE}).")
    String truncate;

    @Option(names = "--epochs", defaultValue = "3", description = "Passes over train (default ${DEFAULT-VALUE}); --steps overrides.") int epochs;
    @Option(names = "--steps", defaultValue = "0", description = "Optimizer steps (0: use --epochs).") int steps;
    @Option(names = "--batch", defaultValue = "16", description = "Rows per step (default ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--lr", defaultValue = "3e-4", description = "Peak learning rate, after 10 %% linear warmup, then linear decay (default ${DEFAULT-VALUE}).") float lr;
    @Option(names = "--dropout", defaultValue = "0.1", description = "Dropout in the encoder and before the head (default ${DEFAULT-VALUE}).") float dropout;
    @Option(names = "--reverse-complement", description = "Augment: each pass reads every train row from a random strand "
            + "(for labels that do not depend on the strand read).") boolean reverseComplement;
    @Option(names = "--average", defaultValue = "0", paramLabel = "DECAY", description = "Score and keep a moving average of the weights "
            + "with this decay per step, e.g. 0.99 (Polyak averaging; default ${DEFAULT-VALUE}: the weights themselves).") float averageDecay;
    @Option(names = "--eval-every", defaultValue = "100", description = "Steps between dev evaluations (default ${DEFAULT-VALUE}).") int evalEvery;
    @Option(names = "--patience", defaultValue = "5", description = "Dev evaluations without improvement before stopping; 0 never stops (default ${DEFAULT-VALUE}).") int patience;
    @Option(names = "--seed", defaultValue = "1", description = "Seeds the head, from-scratch weights, dropout and batch order (default ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--head-lr-scale", defaultValue = "1",
            description = "The head's learning rate as a multiple of --lr; 0 freezes it (default ${DEFAULT-VALUE}).")
    float headLrScale;

    @Option(names = "--probe-rows", defaultValue = "0", description = "Classification: first fit the head as a logistic regression on the frozen "
            + "encoder's pooled vectors of this many train rows, then fine-tune everything (LP-FT); 0 = off (default ${DEFAULT-VALUE}).")
    int probeRows;

    @Option(names = "--calibrate", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Classification: re-centre the logits on dev before each dev score, so that a shift of every logit does not "
            + "tip all rows into one class; the kept model carries the offsets (--no-calibrate: off; default on).")
    boolean calibrate;

    @Option(names = "--head-norm", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Batch-normalise the pooled vectors before the head's output layer, so that an encoder update that moves "
            + "every pooled vector the same way does not move every logit (default ${DEFAULT-VALUE}).")
    boolean headNorm;

    @Option(names = "--lora", paramLabel = "SPEC",
            description = "Fine-tune LoRA adapters instead of the whole encoder (which stays frozen; the head trains whole): "
            + "r=8,alpha=16,dropout=0.05,targets=query,key,value,dense, any subset, PEFT's defaults for the rest "
            + "(r 8, alpha 8, dropout 0, targets query,value); targets match module names as PEFT does, Hugging Face BERT's "
            + "names included (dense: the attention output and both feed-forward layers), or targets=/regex/. The adapters "
            + "are saved in PEFT's files (adapter_config.json, adapter_model.safetensors) beside the model.")
    String lora;

    @Option(names = "--attention", paramLabel = "SPEC", description = "Fine-tune with another attention than the pretrained model's, e.g. "
            + "bigbird[:block=64,window=3,global=2,random=3,layout=gena|itc] for rows longer than it was trained on (same weights).")
    String attention;

    @Option(names = "--rmt", paramLabel = "SPEC", description = RmtSpec.DESCRIPTION + " Rows of any length are read in segments "
            + "([CLS] MEM [SEP] chunk [SEP], GENA-LM's layout); the memory starts fresh, the rest from the pretrained model.")
    String rmt;

    @Option(names = "--merge", description = "With --lora: save the adapters merged into the weights, a plain model.")
    boolean merge;

    @Option(names = "--baseline-k", description = "Also fit the k-mer logistic-regression baseline with this k on the same split.")
    Integer baselineK;

    @Option(names = "--out", defaultValue = "runs/finetune", description = "Output directory: model, result.json, metrics.jsonl (default ${DEFAULT-VALUE}).")
    Path out;

    /** The fine-tuned model's result and, when asked for, the k-mer baseline's (else null). */
    record Outcome(FineTuning.Result result, KmerLogisticRegression.Result baseline) {}

    @Override
    Outcome execute() throws Exception {
        device.use();
        parallel.check();
        try (DataParallel engine = parallel.open()) {
            return execute(engine);
        }
    }

    private Outcome execute(DataParallel engine) throws Exception {
        FineTuningData data = dataSource.read(engine);
        if (baselineK != null && data.task() != LabelledDataset.Task.CLASSIFICATION) {
            throw new IllegalArgumentException("--baseline-k needs a classification task; this one is regression");
        }
        if (merge && lora == null) throw new IllegalArgumentException("--merge needs --lora");
        FineTuning.Settings settings = FineTuning.Settings.builder().epochs(epochs).steps(steps).batch(batch).lr(lr).dropout(dropout).reverseComplement(reverseComplement).averageDecay(averageDecay)
                .pooling(enumOf(SequenceHead.Pooling.class, pooling, "--pooling", "cls or mean")).evaluation(evalEvery, patience)
                .fromScratch(fromScratch).truncation(enumOf(LabelledDataset.Truncation.class, truncate, "--truncate", "error, right, left or center"))
                .seed(seed).probe(probeRows).headLrScale(headLrScale).calibrate(calibrate).headNorm(headNorm)
                .lora(lora == null ? null : LoraSpec.parse(lora)).mergeLora(merge)
                .attention(attention == null ? null : AttentionSpec.parse(attention)).memory(RmtSpec.parse(rmt)).build();
        System.out.printf("task %s: train %d, dev %d, test %d rows; %s %s%n", data.name(), data.train().size(), data.dev().size(),
                data.test().size(), data.task() == LabelledDataset.Task.CLASSIFICATION ? "classes" : "targets", data.labels());

        FineTuning.Result r;
        try (RunLock lock = RunLock.acquire(out); MetricsLog metrics = freshMetrics()) {
            TrainingProgress progress = new TrainingProgress("finetune", "seq/s", metrics);
            FineTuning.Parallelism parallelism = new FineTuning.Parallelism(engine, parallel.shards(engine));
            if (engine != null) System.err.println("data parallel: " + engine.describe() + "; each batch drawn as " + parallelism.dataShards() + " shards");
            else if (parallelism.dataShards() > 0) System.err.println("data: each batch drawn as " + parallelism.dataShards() + " shards");
            r = FineTuning.run(adapter.onto(model.pretrained()), data, settings, out, new FineTuning.Listener() {
                @Override
                public void step(StepReport report) {
                    progress.step(report);
                }

                @Override
                public void evaluation(int step, TaskScores dev, boolean best) {
                    metrics.log(step, "dev", dev.values());
                }
            }, parallelism);
            metrics.log(r.bestStep(), "test", r.test().values());
        }
        System.out.printf(Locale.ROOT, "dev  (best, step %d of %d%s): %s%n", r.bestStep(), r.steps(), r.stoppedEarly() ? ", stopped early" : "", r.bestDev());
        System.out.printf(Locale.ROOT, "test (%s): %s%n", fromScratch ? "from scratch" : "pretrained", r.test());
        if (lora != null) {
            System.out.printf(Locale.ROOT, "LoRA (%s): %.2f %% of the parameters trained; %s%n", lora, 100 * r.trainableShare(),
                    merge ? "merged into a plain model" : "adapters in " + out.resolve("adapter_model.safetensors"));
        }
        KmerLogisticRegression.Result b = null;
        if (baselineK != null) {
            b = KmerLogisticRegression.run(data, KmerLogisticRegression.Settings.defaults().withK(baselineK));
            System.out.printf(Locale.ROOT, "dev  (k-mer baseline, k=%d, both strands, L2 %.0e chosen on dev): %s%n", b.k(), b.l2(), b.dev());
            System.out.printf(Locale.ROOT, "test (k-mer baseline, k=%d, both strands, L2 %.0e): %s%n", b.k(), b.l2(), b.test());
            ObjectNode o = ScoresJson.JSON.createObjectNode();
            o.put("k", b.k());
            o.put("both_strands", b.bothStrands());
            o.put("l2", b.l2());
            o.put("seconds", b.seconds());
            o.set("dev", ScoresJson.of(b.dev()));
            o.set("test", ScoresJson.of(b.test()));
            ScoresJson.write(out.resolve("baseline.json"), o);
        }
        System.out.printf(Locale.ROOT, "fine-tuned in %.1f s; model, result.json, test_predictions.tsv and metrics.jsonl in %s%n", r.seconds(), out);
        return new Outcome(r, b);
    }

    static <E extends Enum<E>> E enumOf(Class<E> type, String word, String option, String choices) {
        try {
            return Enum.valueOf(type, word.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + option + " '" + word + "': use " + choices);
        }
    }

    /** Checks that --out holds no fine-tuned model (under the run's lock) and opens a metrics file without a failed run's records. */
    private MetricsLog freshMetrics() throws java.io.IOException {
        FineTuning.requireFreshOutput(out);
        Files.deleteIfExists(out.resolve("metrics.jsonl"));   // left by a run that failed before saving its model
        return new MetricsLog(out.resolve("metrics.jsonl"));
    }
}

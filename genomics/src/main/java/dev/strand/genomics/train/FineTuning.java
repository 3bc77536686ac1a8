package dev.strand.genomics.train;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strand.autograd.Variable;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.metrics.TaskScores;
import dev.strand.genomics.tasks.FineTuningData;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.nn.attention.AttentionConfig;
import dev.strand.nn.checkpoint.AtomicFiles;
import dev.strand.nn.checkpoint.Checkpoint;
import dev.strand.nn.lora.Lora;
import dev.strand.nn.lora.LoraConfig;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.optim.Optimizer;
import dev.strand.nn.optim.Schedule;
import dev.strand.nn.train.GradientSource;
import dev.strand.nn.train.TrainingListener;
import dev.strand.nn.train.TrainingLoop;
import dev.strand.nn.train.WeightAverage;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.RecurrentMemory;
import dev.strand.nn.transformer.SequenceHead;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.nn.transformer.Transformer;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fine-tuning a pretrained masked language model's encoder (or the same architecture from random
 * weights) with a {@link SequenceHead} on a labelled task: cross-entropy for classification, MSE
 * for regression; AdamW, linear warmup then linear decay, gradient clipping, dropout; the dev set
 * scored every {@code evalEvery} steps, early stopping on its MCC (classification) or Pearson
 * (regression) after {@code patience} evaluations without improvement, the best dev weights
 * restored; test scores of those weights; the model saved as a {@link FineTunedModel}. A
 * classifier is re-centred on dev before each dev score ({@link PriorCalibration}, unless
 * {@code calibrate} is off), and the kept weights carry those logit offsets in the head's bias, so
 * the test set is scored as dev was. With a probe ({@code probeRows} > 0, classification: LP-FT)
 * the head starts as a logistic regression of the frozen encoder's pooled vectors.
 *
 * <pre>{@code
 * FineTuning.Result r = FineTuning.run(Path.of("runs/pretrain"), FineTuningData.of(task, 0.1, 1),
 *         FineTuning.Settings.defaults(), Path.of("runs/finetune"), FineTuning.Listener.NONE);
 * r.test().get("mcc");
 * }</pre>
 */
public final class FineTuning {
    private FineTuning() {}

    /**
     * How to fine-tune, in three parts and three choices; {@link #builder()} sets any of them.
     *
     * @param optimisation the steps: how many, how big, how fast
     * @param head         the head: pooling, normalisation, probe start, learning rate, calibration
     * @param evaluation   dev scoring and early stopping
     * @param fromScratch  random weights instead of the pretrained encoder (same config and tokenizer)
     * @param truncation   what to do with rows over the model's length limit (bounded positions only)
     * @param seed         seeds initialisation, dropout and batch order (the head is drawn after a
     *                     fresh encoder either way, so pretrained and from-scratch runs with one seed
     *                     start from the same head and see the same batches)
     * @param lora         LoRA adapters on the encoder, which then stays frozen while they and the
     *                     head train; null for full fine-tuning
     * @param mergeLora    save the model with the adapters folded into its weights (a plain model),
     *                     instead of the adapters in PEFT's files beside the full checkpoint
     * @param attention    the encoder's attention for fine-tuning (BigBird for long rows: the
     *                     projections' weights are the same), or null to keep the base model's
     * @param memory       recurrent memory, to read rows of any length in segments (GENA-LM's RMT),
     *                     or null to read each row in one window
     */
    public record Settings(Optimisation optimisation, Head head, Evaluation evaluation, boolean fromScratch,
                           LabelledDataset.Truncation truncation, long seed, LoraConfig lora, boolean mergeLora, AttentionConfig attention,
                           RecurrentMemory memory) {
        public Settings {
            if (mergeLora && lora == null) throw new IllegalArgumentException("merging needs LoRA adapters to merge");
        }

        /**
         * @param epochs         passes over the train set (used when {@code steps} is 0)
         * @param steps          optimizer steps; 0 = {@code epochs} passes
         * @param batch          rows per step
         * @param lr             peak learning rate
         * @param warmupFraction fraction of the steps spent warming up linearly from 0 to {@code lr}
         * @param weightDecay    AdamW's decoupled weight decay (matrices only)
         * @param clipNorm       global gradient-norm clip
         * @param dropout        dropout in the encoder and before the head
         * @param reverseComplement augmentation: each pass over train reads every row from a strand
         *                       drawn at random (for tasks whose label does not depend on the strand read)
         * @param averageDecay   score and keep a moving average of the weights with this decay per
         *                       step ({@link WeightAverage}); 0: the weights themselves
         */
        public record Optimisation(int epochs, int steps, int batch, float lr, float warmupFraction, float weightDecay, float clipNorm,
                                   float dropout, boolean reverseComplement, float averageDecay) {
            public Optimisation {
                if (epochs < 1 && steps < 1) throw new IllegalArgumentException("train for at least one epoch or step, got epochs " + epochs + " and steps " + steps);
                if (steps < 0) throw new IllegalArgumentException("steps must be non-negative, got " + steps);
                if (batch < 1) throw new IllegalArgumentException("batch size must be positive, got " + batch);
                if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be positive, got " + lr);
                if (!(warmupFraction >= 0 && warmupFraction < 1)) throw new IllegalArgumentException("warmup fraction must be in [0, 1), got " + warmupFraction);
                if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
                if (!(averageDecay >= 0 && averageDecay < 1)) throw new IllegalArgumentException("weight-average decay must be in [0, 1), got " + averageDecay);
            }
        }

        /**
         * @param pooling   CLS token or mean over tokens
         * @param norm      batch-normalise pooled vectors before the head's output layer ({@link dev.strand.nn.BatchNorm})
         * @param probeRows train rows the LP-FT probe is fitted on (classification); 0 = no probe
         * @param lrScale   the head's learning rate over the encoder's (0 freezes the head)
         * @param calibrate classification: re-centre the logits on dev before scoring and keeping weights
         */
        public record Head(SequenceHead.Pooling pooling, boolean norm, int probeRows, float lrScale, boolean calibrate) {
            public Head {
                if (probeRows < 0) throw new IllegalArgumentException("probe rows must be non-negative, got " + probeRows);
                if (!(lrScale >= 0)) throw new IllegalArgumentException("head learning-rate scale must be non-negative, got " + lrScale);
            }
        }

        /**
         * @param every    steps between dev evaluations (and one at the last step)
         * @param patience dev evaluations without improvement before stopping; 0 = never stop early
         */
        public record Evaluation(int every, int patience) {
            public Evaluation {
                if (every < 1) throw new IllegalArgumentException("eval-every must be positive, got " + every);
                if (patience < 0) throw new IllegalArgumentException("patience must be non-negative, got " + patience);
            }
        }

        /** 3 epochs, batch 16, lr 3e-4, 10 % warmup, weight decay 0.01, clip 1, dropout 0.1, CLS pooling, dev every 100 steps, patience 5, seed 1, calibrated, no probe. */
        public static Settings defaults() {
            return builder().build();
        }

        /** A builder holding {@link #defaults()}. */
        public static Builder builder() {
            return new Builder();
        }

        /** A builder holding these settings, to change some of them. */
        public Builder toBuilder() {
            Builder b = new Builder();
            b.epochs = optimisation.epochs();
            b.steps = optimisation.steps();
            b.batch = optimisation.batch();
            b.lr = optimisation.lr();
            b.warmupFraction = optimisation.warmupFraction();
            b.weightDecay = optimisation.weightDecay();
            b.clipNorm = optimisation.clipNorm();
            b.dropout = optimisation.dropout();
            b.reverseComplement = optimisation.reverseComplement();
            b.pooling = head.pooling();
            b.headNorm = head.norm();
            b.probeRows = head.probeRows();
            b.headLrScale = head.lrScale();
            b.calibrate = head.calibrate();
            b.evalEvery = evaluation.every();
            b.patience = evaluation.patience();
            b.fromScratch = fromScratch;
            b.truncation = truncation;
            b.seed = seed;
            b.lora = lora;
            b.mergeLora = mergeLora;
            b.attention = attention;
            b.memory = memory;
            return b;
        }

        /** Settings field by field; {@link #build} checks them. */
        public static final class Builder {
            private int epochs = 3, steps = 0, batch = 16, evalEvery = 100, patience = 5, probeRows = 0;
            private float lr = 3e-4f, warmupFraction = 0.1f, weightDecay = 0.01f, clipNorm = 1f, dropout = 0.1f, headLrScale = 1f, averageDecay = 0f;
            private SequenceHead.Pooling pooling = SequenceHead.Pooling.CLS;
            private boolean fromScratch = false, calibrate = true, headNorm = false, reverseComplement = false;
            private LabelledDataset.Truncation truncation = LabelledDataset.Truncation.ERROR;
            private long seed = 1;
            private LoraConfig lora;
            private boolean mergeLora;
            private AttentionConfig attention;
            private RecurrentMemory memory;

            private Builder() {}

            /** Passes over the train set; clears {@link #steps}. */
            public Builder epochs(int e) { epochs = e; steps = 0; return this; }
            public Builder steps(int s) { steps = s; return this; }
            public Builder batch(int b) { batch = b; return this; }
            public Builder lr(float l) { lr = l; return this; }
            public Builder warmupFraction(float f) { warmupFraction = f; return this; }
            public Builder weightDecay(float w) { weightDecay = w; return this; }
            public Builder clipNorm(float c) { clipNorm = c; return this; }
            public Builder dropout(float d) { dropout = d; return this; }
            /** Reverse-complement augmentation: each pass reads every train row from a random strand. */
            public Builder reverseComplement(boolean on) { reverseComplement = on; return this; }
            /** Score and keep a moving average of the weights with this decay per step (0: off). */
            public Builder averageDecay(float decay) { averageDecay = decay; return this; }
            public Builder pooling(SequenceHead.Pooling p) { pooling = p; return this; }
            /** Dev scoring every {@code every} steps; stop after {@code patienceEvaluations} without improvement (0: never). */
            public Builder evaluation(int every, int patienceEvaluations) { evalEvery = every; patience = patienceEvaluations; return this; }
            public Builder fromScratch(boolean on) { fromScratch = on; return this; }
            public Builder truncation(LabelledDataset.Truncation t) { truncation = t; return this; }
            public Builder seed(long s) { seed = s; return this; }
            /** LoRA adapters on the encoder (null: full fine-tuning). */
            public Builder lora(LoraConfig config) { lora = config; return this; }
            /** Save the adapters merged into a plain model. */
            public Builder mergeLora(boolean on) { mergeLora = on; return this; }
            /** The encoder's attention for fine-tuning (null: the base model's). */
            public Builder attention(AttentionConfig a) { attention = a; return this; }
            /** Recurrent memory over segments (null: one window per row). */
            public Builder memory(RecurrentMemory m) { memory = m; return this; }
            /** Starts the head as a linear probe fitted on up to {@code rows} train rows (0: off). */
            public Builder probe(int rows) { probeRows = rows; return this; }
            /** The head's learning rate as a multiple of {@link #lr} (0 freezes it, e.g. after a probe). */
            public Builder headLrScale(float scale) { headLrScale = scale; return this; }
            /** Classification: re-centre the logits on dev ({@link PriorCalibration}) before scoring it. */
            public Builder calibrate(boolean on) { calibrate = on; return this; }
            /** Batch-normalise the pooled vectors before the head's output layer. */
            public Builder headNorm(boolean on) { headNorm = on; return this; }

            public Settings build() {
                return new Settings(new Optimisation(epochs, steps, batch, lr, warmupFraction, weightDecay, clipNorm, dropout, reverseComplement, averageDecay),
                        new Head(pooling, headNorm, probeRows, headLrScale, calibrate), new Evaluation(evalEvery, patience),
                        fromScratch, truncation, seed, lora, mergeLora, attention, memory);
            }
        }
    }

    /** Told about progress (steps, in rows; dev evaluations); all methods optional. */
    public interface Listener extends TrainingListener {
        Listener NONE = new Listener() {};

        /** After each dev evaluation; {@code best} when it is the best so far (its weights are kept). */
        default void evaluation(int step, TaskScores dev, boolean best) {}
    }

    /**
     * The outcome.
     *
     * @param bestDev     dev scores of the kept weights
     * @param bestStep    the step those weights are from
     * @param test        test scores of the kept weights
     * @param steps       steps trained
     * @param totalSteps  steps planned
     * @param stoppedEarly whether patience ran out before {@code totalSteps}
     * @param seconds     wall time of training and evaluation
     * @param model       the saved model's run directory (open with {@link FineTunedModel#open})
     * @param testOutputs the kept weights' outputs on test, [n, K] row-major in file order: class
     *                    probabilities or predicted targets (also in {@value #TEST_PREDICTIONS})
     * @param trainableShare the fraction of the model's parameters that trained (1 without LoRA)
     */
    public record Result(TaskScores bestDev, int bestStep, TaskScores test, int steps, int totalSteps, boolean stoppedEarly,
                         double seconds, Path model, float[] testOutputs, double trainableShare) {}

    /** Per-row test outputs in a run directory: the row's line in its file, its label, then one column per class or target. */
    public static final String TEST_PREDICTIONS = "test_predictions.tsv";

    /**
     * Where a run's steps are computed.
     *
     * @param engine     data-parallel replicas (Spark), or null for this process
     * @param dataShards train rows drawn in this many shards per batch ({@link LabelledShards}), each
     *                   shard its own forward and backward pass, so replicas and one process train
     *                   the same; 0: each batch drawn whole by this process
     */
    public record Parallelism(DataParallel engine, int dataShards) {
        /** This process, whole batches. */
        public static final Parallelism NONE = new Parallelism(null, 0);

        public Parallelism {
            if (dataShards < 0) throw new IllegalArgumentException("data shards must be at least 0, got " + dataShards);
        }
    }

    /** Fine-tunes the masked language model of a {@code strand pretrain} run directory (see {@link #run(PretrainedModel, FineTuningData, Settings, Path, Listener)}). */
    public static Result run(Path pretrainedRun, FineTuningData data, Settings settings, Path outDir, Listener listener) throws IOException {
        return run(PretrainedModel.open(pretrainedRun), data, settings, outDir, listener);
    }

    /**
     * Fine-tunes {@code base} on {@code data} and saves the best-dev model to {@code outDir}
     * ({@code tokenizer.json}, {@code head.json}, {@code step-N/}, {@code result.json}). The
     * encoder keeps the base model's config (dropout replaced by the settings') and tokenizer.
     *
     * @throws IllegalArgumentException if {@code outDir} already holds a model, a row is longer than
     *                                  the model allows and truncation is off, or a label does not fit
     */
    public static Result run(PretrainedModel base, FineTuningData data, Settings settings, Path outDir, Listener listener) throws IOException {
        return run(base, data, settings, outDir, listener, Parallelism.NONE);
    }

    /** The same, with its steps computed as {@code parallelism} says. */
    public static Result run(PretrainedModel base, FineTuningData data, Settings settings, Path outDir, Listener listener,
                             Parallelism parallelism) throws IOException {
        long start = System.nanoTime();
        Settings.Optimisation optimisation = settings.optimisation();
        Settings.Head headRecipe = settings.head();
        requireFreshOutput(outDir);
        Tokenizer tokenizer = base.tokenizer();
        TransformerConfig config = encoderConfig(base.config().withDropout(optimisation.dropout()), settings, data, tokenizer);
        HeadSpec head = HeadSpec.of(data.task(), data.labels(), headRecipe.pooling(), headRecipe.norm(), settings.truncation(),
                settings.fromScratch() ? "scratch" : base.source());
        for (LabelledDataset d : new LabelledDataset[] {data.train(), data.dev(), data.test()}) {
            SequenceScoring.checkLabels(d, head);
            SequenceScoring.checkLengths(d, tokenizer, config, settings.truncation());
        }
        LabelledDataset.Batching batching = SequenceScoring.batching(config, settings.truncation());

        Generator modelGen = new Generator(settings.seed()), dataGen = new Generator(settings.seed() + 1);
        Transformer encoder = new Transformer(config, modelGen);
        if (!settings.fromScratch()) copyWeights(base.loadBert(), encoder);
        SequenceModel model = new SequenceModel(encoder, new SequenceHead(config.dim(), head.outputs(), headRecipe.pooling(), headRecipe.norm(), optimisation.dropout(), modelGen), modelGen);
        LoraConfig lora = settings.lora() == null ? null : adapterConfig(settings.lora(), data, head, base, model.memory != null);
        // Adapters draw from their own generator, so a full fine-tuning run with the same seed is unchanged.
        if (lora != null) Lora.apply(model, lora, config.architecture().moduleNames(), new Generator(settings.seed() + 3));
        long trainable = model.trainableParameterCount();

        int perEpoch = (data.train().size() + optimisation.batch() - 1) / optimisation.batch();
        int total = optimisation.steps() > 0 ? optimisation.steps() : optimisation.epochs() * perEpoch;
        // The head learns at its own rate (LP-FT's probe head is already fitted).
        Map<String, Variable> encoderParameters = new LinkedHashMap<>(model.encoder.namedParameters());
        // The memory learns at the encoder's rate (with LoRA it trains whole, as the head does).
        if (model.memory != null) model.memory.namedParameters().forEach((name, p) -> encoderParameters.put("memory." + name, p));
        AdamW optimizer = AdamW.adamW(List.of(Optimizer.ParamGroup.of(encoderParameters, optimisation.weightDecay()),
                new Optimizer.ParamGroup(model.head.namedParameters(), headRecipe.lrScale(), optimisation.weightDecay())), optimisation.lr());
        Schedule schedule = Schedule.warmupLinear(optimisation.lr(), Math.max(1, Math.round(optimisation.warmupFraction() * total)), total);

        EarlyStopping stopping = new EarlyStopping(settings.evaluation().patience());
        if (headRecipe.probeRows() > 0 && data.task() == LabelledDataset.Task.CLASSIFICATION) {
            LinearProbe.fitHead(model, data.train(), headRecipe.probeRows(), tokenizer, batching, head.outputs(), new Generator(settings.seed() + 2));
        }
        DevEvaluation.Rows rows = new DevEvaluation.Rows(tokenizer, batching, head);
        // Strands come from a generator of their own, so augmented and plain runs see the rows in one order.
        Generator strandGen = new Generator(settings.seed() + 3);
        SupervisedObjective.SupervisedReplica replica = new SupervisedObjective.SupervisedReplica(ConfigText.of(config), head.outputs(),
                headRecipe.pooling(), headRecipe.norm(), optimisation.dropout(), lora, data.task());
        LabelledShards shards = parallelism.dataShards() == 0 ? null : new LabelledShards(data.train().rows(), data.task(), data.train().labelNames(),
                Tokenizers.toJson(tokenizer), batching, optimisation.batch(), parallelism.dataShards(), settings.seed() + 1, optimisation.reverseComplement());
        SupervisedObjective objective = new SupervisedObjective(model, () -> (optimisation.reverseComplement() ? data.train().withRandomStrands(strandGen) : data.train())
                .batches(optimisation.batch(), tokenizer, batching, dataGen), shards, dataGen, replica);
        // Shards are trained on one by one, as replicas would: a run on replicas is then this run bit for bit.
        GradientSource gradients = parallelism.engine() != null ? parallelism.engine().gradients(objective)
                : shards != null ? GradientSource.inParts(objective) : GradientSource.local(objective, 1);
        TrainingLoop.Settings loopSettings = TrainingLoop.Settings.of(total).withClipNorm(optimisation.clipNorm()).withEvalEvery(settings.evaluation().every());
        TrainingLoop loop = new TrainingLoop(model, optimizer, schedule, gradients, loopSettings).listen(listener);
        TrainingLoop.Evaluation dev = new DevEvaluation(model, data.dev(), rows, headRecipe.calibrate(), stopping, listener);
        if (optimisation.averageDecay() > 0) {
            // Dev scores the average, and early stopping keeps it: the weights the run ends with.
            WeightAverage average = new WeightAverage(model, optimisation.averageDecay());
            loop.listen(average);
            dev = average.around(dev);
        }
        TrainingLoop.Result trained = loop.evaluateWith(dev).run();
        int step = trained.steps();
        stopping.restoreBest(model);
        // Calibrated dev scores were computed from shifted probabilities; the kept weights carry the
        // shift in float, so dev is scored once more through them: the result is what evaluate gives.
        TaskScores bestDev = headRecipe.calibrate() && data.task() == LabelledDataset.Task.CLASSIFICATION
                ? rows.score(model, data.dev()) : stopping.best();
        float[] testOutputs = rows.outputs(model, data.test());
        TaskScores test = SequenceScoring.score(data.test(), head, testOutputs);
        FineTunedModel.save(outDir, stopping.bestStep(), model, tokenizer, head, settings.mergeLora() ? null : lora);
        Result result = new Result(bestDev, stopping.bestStep(), test, step, total, trained.stoppedEarly(), (System.nanoTime() - start) / 1e9, outDir, testOutputs,
                (double) trainable / model.parameterCount());
        writeResult(outDir.resolve("result.json"), result, data, settings);
        writePredictions(outDir.resolve(TEST_PREDICTIONS), data.test(), head, testOutputs);
        return result;
    }

    /**
     * The adapters' config as PEFT would save it for this task: the head, and the recurrent memory
     * when there is one (new, so it must learn), train whole and are saved with them
     * ({@code modules_to_save}), and the base model is named.
     */
    private static LoraConfig adapterConfig(LoraConfig c, FineTuningData data, HeadSpec head, PretrainedModel base, boolean memory) {
        String task = data.task() == LabelledDataset.Task.CLASSIFICATION ? "SEQ_CLS" : "FEATURE_EXTRACTION";
        return c.withModulesToSave(memory ? List.of("head", "memory") : List.of("head"), task).withBaseModel(base.checkpoint().toAbsolutePath().toString());
    }

    /**
     * The encoder's config: the base model's, with another attention or recurrent memory if asked
     * for. Block-sparse attention is there for rows longer than the base model was trained on; with
     * positions that do not bound the length, its maximum grows to the longest row, which a GENA
     * layout is drawn for. With recurrent memory the maximum is the segment, which learned positions
     * must cover.
     */
    private static TransformerConfig encoderConfig(TransformerConfig base, Settings settings, FineTuningData data, Tokenizer tokenizer) {
        TransformerConfig config = settings.attention() == null ? base : base.withAttention(settings.attention());
        if (settings.memory() != null) {
            if (base.positions() == dev.strand.nn.transformer.Positions.LEARNED && settings.memory().segment() > base.maxLength()) {
                throw new IllegalArgumentException("segments of " + settings.memory().segment() + " tokens are longer than the " + base.maxLength()
                        + " learned positions of the base model; use segment=" + base.maxLength() + " or less");
            }
            return config.withMemory(settings.memory());
        }
        if (settings.attention() == null || config.positions().bounded()) return config;
        int longest = config.maxLength();
        for (LabelledDataset d : new LabelledDataset[] {data.train(), data.dev(), data.test()}) {
            for (LabelledDataset.Row r : d.rows()) longest = Math.max(longest, tokenizer.encodeWithSpecials(r.sequence()).length);
        }
        return config.withMaxLength(longest);
    }

    /** Throws if {@code outDir} already holds a saved model (fine-tuning does not overwrite one). */
    public static void requireFreshOutput(Path outDir) throws IOException {
        if (Files.isDirectory(outDir) && Checkpoint.latest(outDir) != null) {
            throw new IllegalArgumentException(outDir + " already holds a fine-tuned model; choose another --out directory");
        }
    }

    /**
     * Copies a pretrained model's encoder weights (by name, adapters merged in) into a fresh encoder
     * of the same shape. Every parameter comes from the pretrained model; a buffer it lacks (a BigBird
     * layout when fine-tuning switches to block-sparse attention) keeps its fresh value.
     */
    private static void copyWeights(BertModel pretrained, Transformer encoder) {
        Lora.merge(pretrained);   // a language model's adapter (--adapter) becomes part of the starting weights
        Map<String, Tensor> from = pretrained.encoder.stateDict();
        java.util.Set<String> parameters = encoder.namedParameters().keySet();
        encoder.stateDict().forEach((name, t) -> {
            Tensor src = from.get(name);
            if (src == null && parameters.contains(name)) throw new IllegalStateException("pretrained encoder has no tensor '" + name + "'");
            // learned positions of a model that reads shorter segments (recurrent memory): the first rows
            if (src != null && src.dim() == 2 && t.dim() == 2 && src.size(0) > t.size(0)) src = src.narrow(0, 0, t.size(0));
            if (src != null) t.copyFrom(src);
        });
    }

    private static void writePredictions(Path file, LabelledDataset test, HeadSpec head, float[] outputs) throws IOException {
        int k = head.outputs();
        boolean classes = head.taskKind() == LabelledDataset.Task.CLASSIFICATION;
        StringBuilder tsv = new StringBuilder("line\tlabel");
        for (String name : head.labels()) tsv.append('\t').append(classes ? "p_" : "predicted_").append(name);
        tsv.append('\n');
        for (int i = 0; i < test.size(); i++) {
            LabelledDataset.Row row = test.row(i);
            tsv.append(row.line()).append('\t');
            if (classes) tsv.append(head.labels().get(row.classLabel()));
            else for (int j = 0; j < k; j++) tsv.append(j > 0 ? "," : "").append(row.labels()[j]);
            for (int j = 0; j < k; j++) tsv.append('\t').append(outputs[i * k + j]);
            tsv.append('\n');
        }
        AtomicFiles.write(file, tsv.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** result.json: the data's sizes, the run's recipe (so two runs can be compared), and the kept dev and test scores. */
    private static void writeResult(Path file, Result r, FineTuningData data, Settings s) throws IOException {
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        ObjectNode o = json.createObjectNode();
        o.put("task", data.name());
        o.put("train_rows", data.train().size());
        o.put("dev_rows", data.dev().size());
        o.put("test_rows", data.test().size());
        o.put("best_step", r.bestStep());
        o.put("steps", r.steps());
        o.put("total_steps", r.totalSteps());
        o.put("stopped_early", r.stoppedEarly());
        o.put("seconds", r.seconds());
        ObjectNode recipe = o.putObject("settings");
        recipe.put("from_scratch", s.fromScratch());
        if (s.attention() != null) recipe.putPOJO("attention", s.attention());
        if (s.memory() != null) recipe.put("memory", s.memory().describe());
        if (s.lora() != null) {
            ObjectNode lora = recipe.putObject("lora");
            lora.put("r", s.lora().r());
            lora.put("alpha", s.lora().alpha());
            lora.put("dropout", s.lora().dropout());
            lora.put("targets", s.lora().targets().regex() != null ? s.lora().targets().regex() : String.join(",", s.lora().targets().names()));
            lora.put("merged", s.mergeLora());
            lora.put("trainable_share", r.trainableShare());
        }
        recipe.put("batch", s.optimisation().batch());
        recipe.put("lr", s.optimisation().lr());
        recipe.put("dropout", s.optimisation().dropout());
        recipe.put("reverse_complement", s.optimisation().reverseComplement());
        recipe.put("weight_average_decay", s.optimisation().averageDecay());
        recipe.put("pooling", s.head().pooling().name().toLowerCase(Locale.ROOT));
        recipe.put("probe_rows", s.head().probeRows());
        recipe.put("calibrated", s.head().calibrate() && data.task() == LabelledDataset.Task.CLASSIFICATION);
        recipe.put("head_norm", s.head().norm());
        recipe.put("eval_every", s.evaluation().every());
        recipe.put("patience", s.evaluation().patience());
        recipe.put("seed", s.seed());
        ObjectNode dev = o.putObject("dev");
        r.bestDev().values().forEach(dev::put);
        ObjectNode test = o.putObject("test");
        r.test().values().forEach(test::put);
        AtomicFiles.write(file, json.writeValueAsBytes(o));
    }
}

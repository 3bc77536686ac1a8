package dev.strand.genomics.train;

import dev.strand.autograd.GradMode;
import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.data.TokenRows;
import dev.strand.genomics.io.GenomeSource;
import dev.strand.genomics.metrics.LanguageModelMetrics;
import dev.strand.genomics.metrics.MarkovBaseline;
import dev.strand.genomics.tokenize.BpeTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.genomics.train.PretrainedModel.Objective;
import dev.strand.nn.Module;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.optim.Optimizer;
import dev.strand.nn.optim.Schedule;
import dev.strand.nn.optim.Sgd;
import dev.strand.nn.train.TrainingListener;
import dev.strand.nn.train.GradientSource;
import dev.strand.nn.train.TrainingLoop;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.GptModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.RecurrentMemory;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Language-model pretraining on random windows of one or more genomes, either objective:
 * {@link Objective#MLM}, a BERT-style {@link BertModel} trained by {@link MaskedLanguageModelling},
 * or {@link Objective#CAUSAL}, a GPT-style {@link GptModel} trained by
 * {@link CausalLanguageModelling}. Windows of genome number g are prefixed with that genome's
 * control tags (ProGen/CTRL), so a causal model learns DNA conditioned on them. AdamW, Adam or SGD;
 * warmup then cosine or linear decay, or a cyclical rate; gradient clipping at norm 1; periodic
 * validation on held-out DNA; checkpoints that resume the run exactly. The steps themselves are
 * nn's {@link TrainingLoop}.
 */
public final class LanguageModelPretraining {
    /** The optimizer. */
    public enum OptimizerKind {
        /** AdamW, decoupled weight decay 0.01. */
        ADAMW,
        /** Adam, no weight decay. */
        ADAM,
        /** SGD with momentum 0.9. */
        SGD;

        public static OptimizerKind parse(String word) {
            return parseEnum(OptimizerKind.class, word, "adamw, adam or sgd");
        }
    }

    /** The learning-rate schedule. */
    public enum ScheduleKind {
        /** Linear warmup, cosine decay to a tenth of the peak. */
        COSINE,
        /** Linear warmup, linear decay to 0 (BERT). */
        LINEAR,
        /** Triangular cycles between a tenth of the peak and the peak, four over the run (Smith 2017). */
        CYCLIC;

        public static ScheduleKind parse(String word) {
            return parseEnum(ScheduleKind.class, word, "cosine, linear or cyclic");
        }
    }

    /**
     * What to train and how long.
     *
     * @param warmup            steps of linear warmup (COSINE, LINEAR)
     * @param evalEvery         validate every this many steps and at the end (0: never during the run)
     * @param checkpointEvery   checkpoint every this many steps; the last step always is
     * @param validationWindows held-out windows validated on
     */
    public record Settings(Objective objective, int steps, int batch, float peakLr, int warmup, OptimizerKind optimizer,
                           ScheduleKind schedule, int evalEvery, int checkpointEvery, int validationWindows, long seed) {
        public Settings {
            if (steps < 1 || batch < 1) throw new IllegalArgumentException("steps and batch must be positive, got " + steps + " and " + batch);
            if (!(peakLr > 0)) throw new IllegalArgumentException("learning rate must be positive, got " + peakLr);
            if (warmup < 0 || evalEvery < 0 || checkpointEvery < 0 || validationWindows < 1) {
                throw new IllegalArgumentException("warmup, eval and checkpoint intervals must be >= 0 and validation windows >= 1");
            }
        }

        /** AdamW, cosine schedule with 5 % warmup, validation every 100 steps on 64 windows, checkpoints every 200. */
        public static Settings of(Objective objective, int steps, int batch, float peakLr, long seed) {
            return new Settings(objective, steps, batch, peakLr, Math.max(1, steps / 20), OptimizerKind.ADAMW, ScheduleKind.COSINE,
                    100, 200, 64, seed);
        }
    }

    /** Told about progress (steps, in tokens; checkpoints; validations); all methods optional. */
    public interface Listener extends TrainingListener {
        default void validation(int step, Validation v) {}
    }

    /**
     * Validation figures on held-out windows.
     *
     * @param loss        mean cross-entropy per scored token, nats
     * @param accuracy    masked-token accuracy (MLM) or next-token accuracy (causal)
     * @param bitsPerBase bits per masked base (MLM) or per base of the windows (causal)
     * @param scored      tokens scored
     */
    public record Validation(double loss, double accuracy, double bitsPerBase, long scored) {}

    private final Objective objective;
    private final LanguageModelling lm;
    private final Tokenizer tokenizer;
    private final PretrainingWindows windows;
    private final List<List<String>> tags;
    private final Settings settings;
    private final TransformerConfig config;
    private final Generator modelGen, dataGen, maskGen;
    private final Optimizer optimizer;
    private TrainingLoop loop;
    private Path loopDir;
    private GradientSource gradients;   // this process's, or the replicas' of onReplicas
    private final boolean sharded;      // training windows drawn in data shards

    /** Pretraining without control tags. */
    public LanguageModelPretraining(TransformerConfig config, Tokenizer tokenizer, PretrainingWindows windows, Settings settings) {
        this(config, tokenizer, windows, List.of(), settings);
    }

    /**
     * @param tagsPerGenome control tags (e.g. {@code <species=dmel>}) put in front of the windows of
     *                      each genome of {@code windows}, by genome number; empty for none. The
     *                      tokenizer must hold them all.
     */
    public LanguageModelPretraining(TransformerConfig config, Tokenizer tokenizer, PretrainingWindows windows,
                                    List<List<String>> tagsPerGenome, Settings settings) {
        this(config, tokenizer, windows, tagsPerGenome, settings, null);
    }

    /**
     * Where the training windows are drawn shard by shard, each shard from its own slice of the
     * training DNA, by whichever process uses it ({@link WindowShards}): with replicas on a cluster,
     * each reads its own DNA.
     *
     * @param genomes the windows' genomes, in order, as sources any process can open
     * @param count   shards in a global batch
     */
    public record DataShards(List<GenomeSource> genomes, int count) {
        public DataShards {
            genomes = List.copyOf(genomes);
            if (count < 1) throw new IllegalArgumentException("--data-shards must be at least 1, got " + count);
        }
    }

    /**
     * @param dataShards training windows drawn shard by shard (see {@link DataShards}), or null to
     *                   draw each batch here from {@code windows}
     */
    public LanguageModelPretraining(TransformerConfig config, Tokenizer tokenizer, PretrainingWindows windows,
                                    List<List<String>> tagsPerGenome, Settings settings, DataShards dataShards) {
        this.objective = settings.objective();
        this.sharded = dataShards != null;
        this.config = config;
        this.tokenizer = tokenizer;
        this.windows = windows;
        this.tags = List.copyOf(tagsPerGenome.stream().map(List::copyOf).toList());
        for (List<String> t : tags) Tokenizers.prependTags(tokenizer, new int[0], t.toArray(String[]::new));   // unknown tags fail here
        this.settings = settings;
        if (config.memory() != null && settings.objective() != Objective.CAUSAL) {
            throw new IllegalArgumentException("recurrent memory (--rmt) pretrains causal models: use --objective causal");
        }
        this.modelGen = new Generator(settings.seed());
        this.dataGen = new Generator(settings.seed() + 1);
        this.maskGen = new Generator(settings.seed() + 2);
        Supplier<Tensor> batches = () -> batch(windows.next(settings.batch(), dataGen));          // [B, T]
        WindowShards shards = dataShards == null ? null : new WindowShards(dataShards.genomes(), windows.spec(), tags, Tokenizers.toJson(tokenizer),
                settings.batch(), dataShards.count(), settings.seed() + 1, objective == Objective.MLM ? WindowShards.Target.MASKED : WindowShards.Target.NEXT_TOKEN);
        this.lm = switch (objective) {
            case MLM -> shards == null
                    ? new MaskedLanguageModelling(new BertModel(config, modelGen), tokenizer, MaskedLanguageModelling.maskerFor(tokenizer), batches, maskGen)
                    : new MaskedLanguageModelling(new BertModel(config, modelGen), tokenizer, shards, dataGen);
            case CAUSAL -> shards == null
                    ? new CausalLanguageModelling(new GptModel(config, modelGen), tokenizer, batches)
                    : new CausalLanguageModelling(new GptModel(config, modelGen), tokenizer, shards, dataGen);
        };
        Module model = lm.model();
        this.optimizer = switch (settings.optimizer()) {
            case ADAMW -> AdamW.adamW(model.namedParameters(), settings.peakLr(), 0.01f);
            case ADAM -> AdamW.adam(model.namedParameters(), settings.peakLr(), 0f);
            case SGD -> new Sgd(model.namedParameters(), settings.peakLr(), 0.9f, 0f);
        };
    }

    /**
     * A pre-LN transformer sized for windows of {@code windowBases} bases with {@code tagCount}
     * control tags in front: its maximum length is the tokens such a window takes.
     */
    public static TransformerConfig config(Tokenizer tokenizer, int windowBases, int tagCount, int dim, int layers, int heads,
                                           Positions positions, float dropout) {
        return new TransformerConfig(tokenizer.vocabSize(), dim, layers, heads, 4 * dim, maxTokens(tokenizer, windowBases, tagCount),
                dropout, true, positions, 1e-5f);
    }

    /**
     * The most tokens a window of {@code windowBases} A/C/G/T bases takes with its specials and
     * {@code tagCount} tags. BPE token counts depend on the bases, so one token per base bounds them.
     */
    public static int maxTokens(Tokenizer tokenizer, int windowBases, int tagCount) {
        int specials = tokenizer.encodeWithSpecials("").length;
        int body = tokenizer instanceof BpeTokenizer ? windowBases : tokenizer.encode("A".repeat(windowBases)).length;
        return specials + body + tagCount;
    }

    /** The model being trained: a {@link BertModel} (MLM) or a {@link GptModel} (causal). */
    public Module model() {
        return lm.model();
    }

    /** The model's recurrent memory, or null. */
    public RecurrentMemory memory() {
        return config.memory();
    }

    public Objective objective() {
        return objective;
    }

    /** Steps completed. */
    public int step() {
        return loop == null ? 0 : loop.step();
    }

    private Map<String, Generator> generators() {
        return Map.of("model", modelGen, "data", dataGen, "mask", maskGen);
    }

    /**
     * Restores the newest checkpoint under {@code runDir}, if any; returns whether it did. With
     * {@code weightsOnly} the optimizer starts fresh (see {@link TrainingLoop#resume(boolean)}).
     */
    public boolean resume(Path runDir, boolean weightsOnly) throws IOException {
        return loop(runDir).resume(weightsOnly);
    }

    /** Trains until {@code settings.steps()}, validating and checkpointing as configured. */
    public void run(Path runDir, Listener listener) throws IOException {
        TrainingLoop l = loop(runDir).listen(listener);
        if (settings.evalEvery() > 0) l.evaluateWith(step -> {
            listener.validation(step, validate());
            return false;
        });
        l.run();
    }

    /**
     * Trains on {@code engine}'s replicas instead of this process: each step's gradients are
     * computed there, on the replicas' own data shards or on shards of the batch drawn here.
     */
    public LanguageModelPretraining onReplicas(DataParallel engine) {
        this.gradients = engine.gradients(lm);
        return this;
    }

    /** The loop that trains this run in {@code runDir}: one per run directory. */
    private TrainingLoop loop(Path runDir) {
        if (loop != null && !runDir.equals(loopDir)) throw new IllegalStateException("this run trains in " + loopDir + ", not " + runDir);
        if (loop == null) {
            TrainingLoop.Settings s = TrainingLoop.Settings.of(settings.steps())
                    .withEvalEvery(settings.evalEvery()).withCheckpointEvery(settings.checkpointEvery());
            // Data drawn in shards is trained on shard by shard, as replicas would: a run on them is then this run bit for bit.
            GradientSource local = sharded ? GradientSource.inParts(lm) : GradientSource.local(lm, 1);
            // Resolved each step, so that replicas chosen after a resume (which builds the loop) are used.
            loop = new TrainingLoop(lm.model(), optimizer, schedule(), () -> (gradients == null ? local : gradients).compute(), s)
                    .checkpointTo(runDir, config, generators());
            loopDir = runDir;
        }
        return loop;
    }

    private Schedule schedule() {
        float peak = settings.peakLr();
        return switch (settings.schedule()) {
            case COSINE -> Schedule.warmupCosine(peak, settings.warmup(), settings.steps(), peak / 10);
            case LINEAR -> Schedule.warmupLinear(peak, settings.warmup(), settings.steps());
            case CYCLIC -> Schedule.cyclical(peak / 10, peak, Math.max(1, settings.steps() / 8));
        };
    }

    /** Validation figures on the held-out windows (MLM with a fixed mask), in evaluation mode. */
    public Validation validate() {
        List<PretrainingWindows.Window> held = windows.validationWindows(settings.validationWindows());
        if (held.isEmpty()) throw new IllegalStateException("no held-out windows to validate on");
        LanguageModelMetrics.Accumulator acc = new LanguageModelMetrics.Accumulator();
        Generator fixed = new Generator(settings.seed() + 99);
        inBatches(held, ids -> lm.score(ids, acc, fixed));
        return new Validation(acc.meanCrossEntropy(), acc.accuracy(), acc.bitsPerBase(lm.basesPerToken(held, acc)), acc.scored());
    }

    /**
     * What recurrent memory carries, on the held-out windows: bits per base of every segment after
     * the first with the memory carried, and with the memory reset at each segment (the RMT papers'
     * measure); bases per token as over whole windows.
     *
     * @param carried        bits per base with the memory carried from segment to segment
     * @param reset          bits per base with every segment starting from the first memory
     * @param openingCarried the same over the first {@value #OPENING} tokens of each later segment, carried
     * @param openingReset   and reset
     * @param scored         tokens scored (each way)
     */
    public record MemoryEffect(double carried, double reset, double openingCarried, double openingReset, long scored) {}

    /** Tokens at the start of a segment scored apart in {@link MemoryEffect}: where a reset memory leaves the least context. */
    public static final int OPENING = 16;

    /**
     * {@link MemoryEffect} of a causal model with recurrent memory, in evaluation mode; {@code whole}
     * is {@link #validate()}'s result for the same weights, whose bases per token it uses.
     */
    public MemoryEffect memoryEffect(Validation whole) {
        if (!(lm instanceof CausalLanguageModelling causal) || config.memory() == null) {
            throw new IllegalStateException("the memory effect is measured on causal models with recurrent memory");
        }
        List<PretrainingWindows.Window> held = windows.validationWindows(settings.validationWindows());
        double basesPerToken = whole.loss() / Math.log(2) / whole.bitsPerBase();
        LanguageModelMetrics.Accumulator carried = new LanguageModelMetrics.Accumulator(), reset = new LanguageModelMetrics.Accumulator();
        LanguageModelMetrics.Accumulator[] openings = {new LanguageModelMetrics.Accumulator(), new LanguageModelMetrics.Accumulator()};
        inBatches(held, ids -> causal.scoreLaterSegments(ids, carried, reset, OPENING, openings));
        if (carried.scored() == 0) throw new IllegalStateException("the held-out windows fit in one segment: use a longer --window than the segment");
        return new MemoryEffect(carried.bitsPerBase(basesPerToken), reset.bitsPerBase(basesPerToken),
                openings[0].bitsPerBase(basesPerToken), openings[1].bitsPerBase(basesPerToken), carried.scored());
    }

    /** Hands {@code held}'s windows to {@code score} as batches of ids [B, T], in evaluation mode without gradients. */
    private void inBatches(List<PretrainingWindows.Window> held, Consumer<Tensor> score) {
        Module model = lm.model();
        model.eval();
        try (var noGrad = GradMode.off()) {
            for (int from = 0; from < held.size(); from += settings.batch()) {
                score.accept(batch(held.subList(from, Math.min(held.size(), from + settings.batch()))));
            }
        } finally {
            model.train(true);
        }
    }

    /** Bits per base of an order-k Markov model fitted on {@code training} DNA, on the same held-out windows. */
    public double markovBaseline(int order, List<String> training) {
        MarkovBaseline m = new MarkovBaseline(order);
        for (String s : training) m.train(s);
        double bits = 0;
        long n = 0;
        for (PretrainingWindows.Window w : windows.validationWindows(settings.validationWindows())) {
            MarkovBaseline.Evaluation e = m.evaluate(w.sequence());
            bits += e.totalBits();
            n += e.scored();
        }
        return bits / Math.max(1, n);
    }

    /** The windows' ids with specials and their genome's tags, right-padded: [B, T]. */
    private Tensor batch(List<PretrainingWindows.Window> ws) {
        List<int[]> rows = new ArrayList<>(ws.size());
        for (PretrainingWindows.Window w : ws) rows.add(tokens(tokenizer, tags, w));
        return TokenRows.padded(rows, tokenizer.pad());
    }

    /** A window's ids with specials, after its genome's tags ({@code tags} by genome number; empty: none). */
    static int[] tokens(Tokenizer tokenizer, List<List<String>> tags, PretrainingWindows.Window w) {
        int[] ids = tokenizer.encodeWithSpecials(w.sequence());
        if (tags.isEmpty()) return ids;
        if (w.genome() >= tags.size()) {
            throw new IllegalStateException("window from genome " + w.genome() + " but tags were given for " + tags.size() + " genome(s)");
        }
        return Tokenizers.prependTags(tokenizer, ids, tags.get(w.genome()).toArray(String[]::new));
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String word, String choices) {
        try {
            return Enum.valueOf(type, word.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + type.getSimpleName().replace("Kind", "").toLowerCase(Locale.ROOT)
                    + " '" + word.trim() + "'; use " + choices);
        }
    }
}

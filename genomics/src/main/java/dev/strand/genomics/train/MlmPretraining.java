package dev.strand.genomics.train;

import dev.strand.autograd.GradMode;
import dev.strand.autograd.Variable;
import dev.strand.genomics.data.MlmMasker;
import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.metrics.LanguageModelMetrics;
import dev.strand.genomics.metrics.MarkovBaseline;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.checkpoint.Checkpoint;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.optim.Optimizer;
import dev.strand.nn.optim.Schedule;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Masked-language-model pretraining on random windows of a genome: BERT masking, AdamW with
 * warmup and cosine decay, gradient clipping, periodic validation on held-out DNA (masked-token
 * accuracy and bits per base), checkpoints that resume the run exactly.
 */
public final class MlmPretraining {
    /** What to train and how long. */
    public record Settings(int steps, int batch, float peakLr, int warmup, int evalEvery, int checkpointEvery,
                           int validationWindows, long seed) {}

    /** Told about progress; all methods optional. */
    public interface Listener {
        default void step(int step, float loss, float lr, long tokens) {}

        default void validation(int step, Validation v) {}
    }

    /** Validation figures on held-out windows. */
    public record Validation(double maskedAccuracy, double bitsPerBase, long scored) {}

    private final BertModel model;
    private final Tokenizer tokenizer;
    private final PretrainingWindows windows;
    private final Settings settings;
    private final TransformerConfig config;
    private final Generator modelGen, dataGen, maskGen;
    private final Optimizer optimizer;
    private final MlmMasker masker;
    private int step;

    public MlmPretraining(TransformerConfig config, Tokenizer tokenizer, PretrainingWindows windows, Settings settings) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.windows = windows;
        this.settings = settings;
        this.modelGen = new Generator(settings.seed());
        this.dataGen = new Generator(settings.seed() + 1);
        this.maskGen = new Generator(settings.seed() + 2);
        this.model = new BertModel(config, modelGen);
        this.optimizer = AdamW.adamW(model.namedParameters(), settings.peakLr(), 0.01f);
        this.masker = MlmMasker.bert(tokenizer);
    }

    public BertModel model() {
        return model;
    }

    /** Steps completed. */
    public int step() {
        return step;
    }

    private Map<String, Generator> generators() {
        return Map.of("model", modelGen, "data", dataGen, "mask", maskGen);
    }

    /** Restores the newest checkpoint under {@code runDir}, if any; returns whether it did. */
    public boolean resume(Path runDir) throws IOException {
        Path latest = Checkpoint.latest(runDir);
        if (latest == null) return false;
        TransformerConfig saved = Checkpoint.readConfig(latest, TransformerConfig.class);
        if (!saved.equals(config)) {
            throw new IllegalArgumentException("checkpoint " + latest + " was made for " + saved + ", not " + config
                    + "; use another --out directory or the same model options");
        }
        step = Checkpoint.restore(latest, model, optimizer, generators()).step();
        return true;
    }

    /** Trains until {@code settings.steps()}, validating and checkpointing as configured. */
    public void run(Path runDir, Listener listener) throws IOException {
        Schedule schedule = Schedule.warmupCosine(settings.peakLr(), settings.warmup(), settings.steps(), settings.peakLr() / 10);
        model.train(true);
        while (step < settings.steps()) {
            Tensor ids = batch(windows.next(settings.batch(), dataGen));                       // [B, T]
            MlmMasker.MaskedTensors masked = masker.mask(ids, maskGen);
            optimizer.setLr(schedule.lr(step));
            Variable loss = model.mlmLoss(masked.inputIds(), padding(ids), masked.labels());
            optimizer.zeroGrad();
            loss.backward();
            Optimizer.clipGradNorm(model.parameters(), 1f);
            optimizer.step();
            step++;
            listener.step(step, loss.item(), optimizer.lr(), (long) step * ids.numel());
            if (settings.evalEvery() > 0 && (step % settings.evalEvery() == 0 || step == settings.steps())) {
                listener.validation(step, validate());
            }
            if (step == settings.steps() || (settings.checkpointEvery() > 0 && step % settings.checkpointEvery() == 0)) {
                Checkpoint.save(runDir, step, model, config, optimizer, generators());
            }
        }
    }

    /** Masked-token accuracy and bits per base on the held-out windows, with a fixed mask. */
    public Validation validate() {
        List<PretrainingWindows.Window> held = windows.validationWindows(settings.validationWindows());
        if (held.isEmpty()) throw new IllegalStateException("no held-out windows to validate on");
        LanguageModelMetrics.Accumulator acc = new LanguageModelMetrics.Accumulator();
        Generator fixed = new Generator(settings.seed() + 99);
        model.eval();
        try (var noGrad = GradMode.off()) {
            for (int from = 0; from < held.size(); from += settings.batch()) {
                Tensor ids = batch(held.subList(from, Math.min(held.size(), from + settings.batch())));
                MlmMasker.MaskedTensors masked = masker.mask(ids, fixed);
                acc.add(model.mlmLogits(masked.inputIds(), padding(ids)).data(), masked.labels());
            }
        } finally {
            model.train(true);
        }
        return new Validation(acc.accuracy(), acc.bitsPerBase(tokenizer.basesPerToken(tokenizer.encode(held.get(0).sequence()))), acc.scored());
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

    /** 1 at [PAD] positions, or null when the batch has none (fixed-length tokenizations). */
    private Tensor padding(Tensor ids) {
        Tensor pad = ids.eq(tokenizer.pad());
        return pad.sum().item() > 0 ? pad : null;
    }

    private Tensor batch(List<PretrainingWindows.Window> ws) {
        int[][] rows = new int[ws.size()][];
        int t = 0;
        for (int i = 0; i < rows.length; i++) {
            rows[i] = tokenizer.encodeWithSpecials(ws.get(i).sequence());
            t = Math.max(t, rows[i].length);
        }
        int[] flat = new int[rows.length * t];
        java.util.Arrays.fill(flat, tokenizer.pad());
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * t, rows[i].length);
        return Tensor.ofInts(flat, rows.length, t);
    }
}

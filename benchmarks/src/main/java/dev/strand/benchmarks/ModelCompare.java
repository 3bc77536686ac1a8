package dev.strand.benchmarks;

import dev.strand.autograd.GradMode;
import dev.strand.autograd.Variable;
import dev.strand.nn.Module;
import dev.strand.nn.generate.Sampler;
import dev.strand.nn.loss.Losses;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.GptModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.SequenceHead;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.nn.transformer.Transformer;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Backends;
import dev.strand.tensor.Device;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import dev.strand.tensor.cpu.Parallel;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Strand's half of {@code compare.sh train|infer|generate}: the BERT-small of BASELINES.md
 * (vocabulary 4101, d 256, 4 pre-LN layers, 4 heads, FFN 1024, learned positions, sequence 512,
 * batch 8, MLM loss on 15 % of positions, AdamW) timed per step; and a decoder of the same size
 * generating 256 tokens greedily with a KV cache. Prints one machine-readable line per mode.
 *
 * <p>{@code --shape} picks the model of train and infer: {@code bert-small} (the default, above);
 * {@code quickstart}, the quickstart's fine-tuning model (vocabulary 22, d 64, 4 pre-LN layers,
 * 4 heads, FFN 256, RoPE, 302 tokens, batch 16, mean pooling, batch norm, 2 classes, AdamW); or
 * {@code quickstart-pretrain}, its pretraining model (the same trunk, 130 tokens, batch 32, MLM).
 *
 * <p>With {@code --device opencl[:N]} the model and its batch live on that device (the default
 * device is set before they are made) and each timed step ends with a one-element download, which
 * waits for the device; the lines then end with {@code device=opencl:N}.
 *
 * <p>Usage: {@code ModelCompare train|infer|generate [--shape S] [--threads N] [--dropout P] [--steps N] [--warmup N] [--device cpu]}.
 */
public final class ModelCompare {
    static final int VOCAB = 4101, SEQ = 512, BATCH = 8;
    /** " device=opencl:N" on a device, else empty (the CPU lines stay as they were). */
    private static String deviceField = "";
    private static boolean onDevice;

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "train";
        int threads = intArg(args, "--threads", Parallel.threads());
        float dropout = Float.parseFloat(arg(args, "--dropout", "0.1"));
        int steps = intArg(args, "--steps", mode.equals("generate") ? 3 : 10);
        int warmup = intArg(args, "--warmup", 4);   // C2 needs a few steps to compile the GEMM micro-kernel
        Parallel.setThreads(threads);
        Device device = Device.parse(arg(args, "--device", "cpu"));
        Backends.setDefaultDevice(device);
        onDevice = !device.equals(Device.CPU);
        deviceField = onDevice ? " device=" + device : "";
        String shape = arg(args, "--shape", "bert-small");
        switch (mode) {
            case "train" -> train(Workload.of(shape, dropout), threads, steps, warmup);
            case "infer" -> infer(Workload.of(shape, dropout), threads, steps, warmup);
            case "generate" -> generate(bertSmallConfig(dropout), threads, steps);
            default -> throw new IllegalArgumentException("unknown mode " + mode + " (train, infer, generate)");
        }
    }

    /**
     * A model and its batch: {@code loss} is one training step's forward pass, {@code forward}
     * the inference pass; tokens = batch · seq.
     */
    private record Workload(String shape, TransformerConfig config, int batch, int seq,
                            Module model, Supplier<Variable> loss, Supplier<Variable> forward) {
        static Workload of(String shape, float dropout) {
            Generator gen = new Generator(1);
            return switch (shape) {
                case "bert-small" -> {
                    TransformerConfig c = bertSmallConfig(dropout);
                    BertModel m = new BertModel(c, gen);
                    Tensor[] batch = mlmBatch(gen, c.vocabSize(), BATCH, SEQ);
                    yield new Workload(shape, c, BATCH, SEQ, m, () -> m.mlmLoss(batch[0], null, batch[1]), () -> m.mlmLogits(batch[0], null));
                }
                case "quickstart-pretrain" -> {
                    TransformerConfig c = quickstartConfig(dropout);
                    BertModel m = new BertModel(c, gen);
                    Tensor[] batch = mlmBatch(gen, c.vocabSize(), 32, 130);
                    yield new Workload(shape, c, 32, 130, m, () -> m.mlmLoss(batch[0], null, batch[1]), () -> m.mlmLogits(batch[0], null));
                }
                case "quickstart" -> {
                    TransformerConfig c = quickstartConfig(dropout);
                    SequenceModel m = new SequenceModel(new Transformer(c, gen),
                            new SequenceHead(c.dim(), 2, SequenceHead.Pooling.MEAN, true, dropout, gen), gen);
                    Tensor ids = mlmBatch(gen, c.vocabSize(), 16, 302)[0];
                    int[] labels = new int[16];
                    for (int i = 0; i < labels.length; i++) labels[i] = i % 2;
                    Tensor targets = Tensor.ofInts(labels);
                    yield new Workload(shape, c, 16, 302, m, () -> Losses.crossEntropy(m.forward(ids, null), targets), () -> m.forward(ids, null));
                }
                default -> throw new IllegalArgumentException("unknown shape " + shape + " (bert-small, quickstart, quickstart-pretrain)");
            };
        }

        /** The quickstart's trunk: nucleotide vocabulary with specials and tags, d 64, 4 layers, 4 heads, RoPE. */
        static TransformerConfig quickstartConfig(float dropout) {
            return new TransformerConfig(22, 64, 4, 4, 256, 130, dropout, true, Positions.ROPE, 1e-5f);
        }

        int tokens() {
            return batch * seq;
        }
    }

    /** BASELINES.md's BERT-small: vocabulary 4101, d 256, 4 pre-LN layers, 4 heads, FFN 1024, learned positions, 512 tokens. */
    static TransformerConfig bertSmallConfig(float dropout) {
        return new TransformerConfig(VOCAB, 256, 4, 4, 1024, SEQ, dropout, true, Positions.LEARNED, 1e-5f);
    }

    private static void train(Workload work, int threads, int steps, int warmup) {
        AdamW opt = AdamW.adamW(work.model.namedParameters(), 1e-4f, 0.01f);
        double[] ms = new double[steps];
        long heapAfterWarmup = 0;
        for (int s = -warmup; s < steps; s++) {
            long t0 = System.nanoTime();
            Variable loss = work.loss.get();
            opt.zeroGrad();
            loss.backward();
            opt.step();
            if (onDevice) loss.item();   // waits for the step's kernels
            if (s >= 0) ms[s] = (System.nanoTime() - t0) / 1e6;
            if (s == -1) heapAfterWarmup = usedHeapAfterGc();
        }
        long heapEnd = usedHeapAfterGc();
        double median = median(ms);
        System.out.printf("strand train shape=%s threads=%d dropout=%s median_ms=%.1f tokens_per_s=%.0f heap_after_warmup_mb=%d heap_end_mb=%d peak_heap_mb=%d steps=%d%s%n",
                work.shape, threads, work.config.dropout(), median, work.tokens() / (median / 1000), heapAfterWarmup >> 20, heapEnd >> 20, peakHeap() >> 20, steps, deviceField);
    }

    private static void infer(Workload work, int threads, int steps, int warmup) {
        work.model.eval();
        double[] ms = new double[steps];
        try (var s = GradMode.off()) {
            for (int i = -warmup; i < steps; i++) {
                long t0 = System.nanoTime();
                Variable out = work.forward.get();
                if (onDevice) out.data().reshape(-1).get(0);
                if (i >= 0) ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double median = median(ms);
        System.out.printf("strand infer shape=%s threads=%d median_ms=%.1f tokens_per_s=%.0f%s%n", work.shape, threads, median, work.tokens() / (median / 1000), deviceField);
    }

    private static void generate(TransformerConfig config, int threads, int runs) {
        GptModel model = new GptModel(config.withDropout(0f), new Generator(1));
        model.eval();
        int[] prompt = new int[16];
        Generator gen = new Generator(2);
        for (int i = 0; i < prompt.length; i++) prompt[i] = gen.nextInt(VOCAB);
        model.generate(prompt, 32, Sampler.GREEDY, gen, true);   // warm-up
        double[] ms = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            model.generate(prompt, 256, Sampler.GREEDY, gen, true);
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        double median = median(ms);
        System.out.printf("strand generate threads=%d median_ms=%.1f tokens_per_s=%.0f%s%n", threads, median, 256 / (median / 1000), deviceField);
    }

    /** Random token ids [batch, seq] (not the 5 specials) and MLM labels: 15 % of positions carry their token, the rest −100. */
    static Tensor[] mlmBatch(Generator gen, int vocab, int batch, int seq) {
        int n = batch * seq;
        int[] ids = new int[n], labels = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = 5 + gen.nextInt(vocab - 5);
            labels[i] = gen.nextFloat() < 0.15f ? ids[i] : -100;
        }
        return new Tensor[] {Tensor.ofInts(ids, batch, seq), Tensor.ofInts(labels, batch, seq)};
    }

    static long usedHeapAfterGc() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) peak += pool.getPeakUsage().getUsed();
        }
        return peak;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static String arg(String[] args, String name, String def) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
        return def;
    }

    static int intArg(String[] args, String name, int def) {
        return Integer.parseInt(arg(args, name, Integer.toString(def)));
    }
}

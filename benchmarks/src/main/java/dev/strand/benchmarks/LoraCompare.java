package dev.strand.benchmarks;

import dev.strand.autograd.Variable;
import dev.strand.nn.loss.Losses;
import dev.strand.nn.lora.Lora;
import dev.strand.nn.lora.LoraConfig;
import dev.strand.nn.lora.ModuleNames;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.transformer.SequenceHead;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.nn.transformer.Transformer;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import dev.strand.tensor.cpu.Parallel;

/**
 * A fine-tuning step of BASELINES.md's BERT-small (d 256, 4 layers, sequence 512, batch 8) with a
 * classification head, fully or with LoRA (r 8 on query, key, value and dense, the head whole):
 * step time, trainable parameters, optimizer state and heap. Run each in its own JVM, alternating,
 * and compare medians from the same session:
 * {@code java --add-modules jdk.incubator.vector -Xmx8g -cp benchmarks/target/benchmarks.jar dev.strand.benchmarks.LoraCompare full|lora [--steps 10] [--threads 2] [--lora-dropout 0.05]}.
 */
public final class LoraCompare {
    private LoraCompare() {}

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "lora";
        if (!mode.equals("full") && !mode.equals("lora")) throw new IllegalArgumentException("unknown mode " + mode + " (full, lora)");
        int threads = ModelCompare.intArg(args, "--threads", Parallel.threads());
        int steps = ModelCompare.intArg(args, "--steps", 10), warmup = ModelCompare.intArg(args, "--warmup", 3);
        float loraDropout = Float.parseFloat(ModelCompare.arg(args, "--lora-dropout", "0.05"));
        Parallel.setThreads(threads);
        TransformerConfig config = ModelCompare.bertSmallConfig(0.1f);
        Generator gen = new Generator(1);
        SequenceModel model = new SequenceModel(new Transformer(config, gen), new SequenceHead(256, 2, SequenceHead.Pooling.MEAN, 0.1f, gen));
        if (mode.equals("lora")) {
            LoraConfig lora = LoraConfig.of(LoraConfig.Targets.of("query", "key", "value", "dense")).withRank(8, 16f)
                    .withDropout(loraDropout).withModulesToSave(java.util.List.of("head"), "SEQ_CLS");
            Lora.apply(model, lora, ModuleNames.HUGGING_FACE_BERT, new Generator(2));
        }
        AdamW opt = AdamW.adamW(model.namedParameters(), 1e-4f, 0.01f);
        Tensor ids = ModelCompare.mlmBatch(gen, ModelCompare.VOCAB, ModelCompare.BATCH, ModelCompare.SEQ)[0];
        Tensor labels = Tensor.ofInts(new int[] {0, 1, 0, 1, 0, 1, 0, 1}, ModelCompare.BATCH);
        double[] ms = new double[steps];
        for (int s = -warmup; s < steps; s++) {
            long t0 = System.nanoTime();
            Variable loss = Losses.crossEntropy(model.forward(ids, null), labels);
            opt.zeroGrad();
            loss.backward();
            opt.step();
            if (s >= 0) ms[s] = (System.nanoTime() - t0) / 1e6;
        }
        long stateFloats = opt.state().values().stream().mapToLong(Tensor::numel).sum();
        double median = ModelCompare.median(ms);
        System.out.printf("strand finetune-%s%s threads=%d median_ms=%.1f sequences_per_s=%.1f trainable=%d of %d optimizer_state_mb=%.1f heap_after_gc_mb=%d peak_heap_mb=%d steps=%d%n",
                mode, mode.equals("lora") ? " lora_dropout=" + loraDropout : "", threads, median, ModelCompare.BATCH / (median / 1000), model.trainableParameterCount(), model.parameterCount(),
                stateFloats * 4 / 1048576.0, ModelCompare.usedHeapAfterGc() >> 20, ModelCompare.peakHeap() >> 20, steps);
    }
}

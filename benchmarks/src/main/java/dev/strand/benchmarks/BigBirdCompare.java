package dev.strand.benchmarks;

import dev.strand.autograd.Variable;
import dev.strand.nn.attention.AttentionMask;
import dev.strand.nn.attention.BigBirdAttention;
import dev.strand.nn.attention.BigBirdLayout;
import dev.strand.nn.attention.MultiHeadAttention;
import dev.strand.nn.attention.SelfAttention;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import dev.strand.tensor.cpu.Parallel;

/**
 * One attention layer (d 256, 4 heads, batch 1), forward and backward, at a given length: BigBird
 * (GENA layout, blocks of 64, window 3, 2 global, 3 random) or dense. Prints the median time of
 * the timed passes and the peak heap (the sum of the heap pools' peaks, a bound on what the pass
 * needed). Run each point in its own JVM ({@code benchmarks/compare.sh bigbird} does):
 * {@code java --add-modules jdk.incubator.vector -Xmx20g -cp benchmarks/target/benchmarks.jar dev.strand.benchmarks.BigBirdCompare bigbird|dense --tokens 16384 [--steps 3] [--threads 2]}.
 */
public final class BigBirdCompare {
    static final int DIM = 256, HEADS = 4, BLOCK = 64;

    private BigBirdCompare() {}

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "bigbird";
        if (!mode.equals("bigbird") && !mode.equals("dense")) throw new IllegalArgumentException("unknown mode " + mode + " (bigbird, dense)");
        int tokens = ModelCompare.intArg(args, "--tokens", 4096), steps = ModelCompare.intArg(args, "--steps", 3);
        int threads = ModelCompare.intArg(args, "--threads", Parallel.threads());
        Parallel.setThreads(threads);
        Generator gen = new Generator(1);
        SelfAttention layer = mode.equals("dense") ? new MultiHeadAttention(DIM, HEADS, 0f, null, gen)
                : new BigBirdAttention(DIM, HEADS, BigBirdLayout.gena(BLOCK, 3, 2, 3, HEADS, (tokens + BLOCK - 1) / BLOCK, gen), null, gen);
        Tensor x = Tensor.randn(gen, 1, tokens, DIM), g = Tensor.randn(gen, 1, tokens, DIM);
        double[] seconds = new double[steps];
        for (int s = -1; s < steps; s++) {             // one warm-up pass
            Variable in = Variable.param(x);
            long t0 = System.nanoTime();
            Variable y = layer.forward(in, AttentionMask.none());
            y.backward(g, false);
            if (s >= 0) seconds[s] = (System.nanoTime() - t0) / 1e9;
        }
        System.out.printf("strand %s tokens=%d threads=%d seconds=%.3f peak_heap_mb=%d steps=%d%n", mode, tokens, threads, ModelCompare.median(seconds),
                ModelCompare.peakHeap() >> 20, steps);
    }
}

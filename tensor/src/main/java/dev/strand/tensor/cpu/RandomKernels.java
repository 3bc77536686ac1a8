package dev.strand.tensor.cpu;

import dev.strand.tensor.Generator;

/** Fills arrays from a counter-based stream, in parallel, identically for any thread count. */
public final class RandomKernels {
    private RandomKernels() {}

    /** out[i] = low + (high − low)·U(counter + i). */
    public static void uniform(float[] out, int oo, int n, long seed, long counter, float low, float high) {
        float scale = high - low;
        Parallel.forRange(n, 1 << 14, (s, e) -> {
            for (int i = s; i < e; i++) out[oo + i] = low + scale * Generator.uniformAt(seed, counter + i);
        });
    }

    /** Normal numbers by Box–Muller: pair p uses U(counter + 2p) and U(counter + 2p + 1). */
    public static void normal(float[] out, int oo, int n, long seed, long counter, float mean, float std) {
        int pairs = (n + 1) / 2;
        Parallel.forRange(pairs, 1 << 13, (s, e) -> {
            for (int p = s; p < e; p++) {
                double u1 = Generator.uniformAt(seed, counter + 2L * p);
                double u2 = Generator.uniformAt(seed, counter + 2L * p + 1);
                double r = Math.sqrt(-2.0 * Math.log(1.0 - u1));
                double theta = 2.0 * Math.PI * u2;
                out[oo + 2 * p] = (float) (mean + std * r * Math.cos(theta));
                if (2 * p + 1 < n) out[oo + 2 * p + 1] = (float) (mean + std * r * Math.sin(theta));
            }
        });
    }

    /** out[i] = x[i]·1[U(counter + i) ≥ p]/(1 − p). */
    public static void dropout(float[] x, int xo, float[] out, int oo, int n, long seed, long counter, float p) {
        float scale = 1f / (1f - p);
        Parallel.forRange(n, 1 << 14, (s, e) -> {
            for (int i = s; i < e; i++) {
                out[oo + i] = Generator.uniformAt(seed, counter + i) >= p ? x[xo + i] * scale : 0f;
            }
        });
    }
}

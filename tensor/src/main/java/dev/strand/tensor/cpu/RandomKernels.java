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

    /**
     * Elements first … first+n−1 of a contiguous tensor's dropout, as {@link #dropout} draws them
     * for the whole tensor (the same mask, bit for bit), on the calling thread: for a kernel that
     * drops out one row at a time. x and out may be the same array.
     */
    public static void dropoutRange(float[] x, int xo, float[] out, int oo, int n, long first, long seed, long counter, float p) {
        float scale = 1f / (1f - p);
        int threshold = Math.round(p * 65536f);
        long bits = 0, group = -1;
        for (int i = 0; i < n; i++) {
            long e = first + i;
            if (e >>> 2 != group) {
                group = e >>> 2;
                bits = Generator.mix(seed, counter + group);
            }
            int u = (int) (bits >>> (16 * (int) (e & 3))) & 0xFFFF;
            out[oo + i] = u >= threshold ? x[xo + i] * scale : 0f;
        }
    }

    /**
     * out[i] = x[i]·keep(i)/(1 − p). One 64-bit hash serves four elements: element i keeps its
     * value when bits [16·(i mod 4), 16·(i mod 4) + 16) of mix(seed, counter + i/4) are at least
     * p·65536 (p is resolved to 1/65536).
     */
    public static void dropout(float[] x, int xo, float[] out, int oo, int n, long seed, long counter, float p) {
        float scale = 1f / (1f - p);
        int threshold = Math.round(p * 65536f);
        int groups = (n + 3) / 4;
        Parallel.forRange(groups, 1 << 12, (s, e) -> {
            for (int g = s; g < e; g++) {
                long bits = Generator.mix(seed, counter + g);
                int base = 4 * g;
                for (int k = 0; k < 4 && base + k < n; k++) {
                    int u = (int) (bits >>> (16 * k)) & 0xFFFF;
                    out[oo + base + k] = u >= threshold ? x[xo + base + k] * scale : 0f;
                }
            }
        });
    }
}

package dev.strand.tensor.cpu;

import dev.strand.tensor.Generator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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
        int threshold = Math.round(p * 65536f), i = 0;
        // Up to the first whole group of four, then whole groups (one hash each), then the rest.
        for (; i < n && ((first + i) & 3) != 0; i++) out[oo + i] = keep(x[xo + i], scale, threshold, group(seed, counter, first + i), first + i);
        if (Simd.ENABLED && threshold <= 0xFFFF)
            i += Vectorized.dropout(x, xo + i, out, oo + i, n - i, (first + i) >>> 2, seed, counter, scale, threshold);
        for (; i + 4 <= n; i += 4) {
            long bits = group(seed, counter, first + i);
            out[oo + i] = keep(x[xo + i], scale, threshold, bits, 0);
            out[oo + i + 1] = keep(x[xo + i + 1], scale, threshold, bits, 1);
            out[oo + i + 2] = keep(x[xo + i + 2], scale, threshold, bits, 2);
            out[oo + i + 3] = keep(x[xo + i + 3], scale, threshold, bits, 3);
        }
        for (; i < n; i++) out[oo + i] = keep(x[xo + i], scale, threshold, group(seed, counter, first + i), first + i);
    }

    /**
     * out[i] = x[i]·keep(i)/(1 − p). One 64-bit hash serves four elements: element i keeps its
     * value when bits [16·(i mod 4), 16·(i mod 4) + 16) of mix(seed, counter + i/4) are at least
     * p·65536 (p is resolved to 1/65536).
     */
    public static void dropout(float[] x, int xo, float[] out, int oo, int n, long seed, long counter, float p) {
        Parallel.forRange((n + 3) / 4, 1 << 12, (s, e) -> {
            int from = 4 * s, to = Math.min(n, 4 * e);
            dropoutRange(x, xo + from, out, oo + from, to - from, from, seed, counter, p);
        });
    }

    /** The hash whose bits decide element e's group of four. */
    private static long group(long seed, long counter, long e) {
        return Generator.mix(seed, counter + (e >>> 2));
    }

    /**
     * x·scale, or 0 when the 16 bits of element e's lane (e mod 4) fall below the threshold.
     * Branch-free: which elements are dropped is random, so a branch would be mispredicted at
     * rate p; the lane's comparison becomes a mask of all ones or zeros on the product's bits.
     */
    private static float keep(float x, float scale, int threshold, long bits, long e) {
        int u = (int) (bits >>> (16 * (int) (e & 3))) & 0xFFFF;
        int kept = (threshold - 1 - u) >> 31;   // all ones when u >= threshold
        return Float.intBitsToFloat(Float.floatToRawIntBits(x * scale) & kept);
    }

    /**
     * The whole groups of {@link #dropoutRange} with vectors: the hashes of a vector of groups at once
     * (the same 64-bit mix as {@link Generator#mix}, lane by lane), read back as 16-bit lanes, which
     * are the elements' bits in element order. A nested class, so a JVM without the vector module never loads it.
     */
    private static final class Vectorized {
        static final VectorSpecies<Float> FLOATS = Simd.SPECIES;
        static final VectorSpecies<Long> LONGS = VectorSpecies.of(long.class, FLOATS.vectorShape());
        static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());
        /** Groups of four elements per vector of hashes (which thus decides 4·GROUPS elements), and floats per vector (2·GROUPS). */
        static final int GROUPS = LONGS.length(), L = FLOATS.length();
        static final long[] IOTA = java.util.stream.LongStream.range(0, GROUPS).toArray();

        /**
         * Drops out elements 0 … 4·GROUPS·⌊n / (4·GROUPS)⌋ − 1 of x into out, element 0 being the
         * first of group {@code firstGroup}; returns how many it did. threshold ≤ 65535.
         */
        static int dropout(float[] x, int xo, float[] out, int oo, int n, long firstGroup, long seed, long counter,
                           float scale, int threshold) {
            LongVector iota = LongVector.fromArray(LONGS, IOTA, 0);
            long seedTerm = seed * 0x9E3779B97F4A7C15L;
            // 16-bit lanes compared as unsigned: flip the sign bit of both sides, then compare signed.
            int flipped = (short) (threshold ^ 0x8000);
            int i = 0;
            for (; i + 4 * GROUPS <= n; i += 4 * GROUPS) {
                LongVector z = iota.add(counter + firstGroup + i / 4 + 1).mul(0xBF58476D1CE4E5B9L).add(seedTerm);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
                ShortVector u = z.reinterpretAsShorts().lanewise(VectorOperators.XOR, (short) 0x8000);
                for (int part = 0; part < 2; part++) {
                    IntVector lanes = (IntVector) u.convertShape(VectorOperators.S2I, INTS, part);
                    VectorMask<Float> dropped = lanes.compare(VectorOperators.LT, flipped).cast(FLOATS);
                    int at = i + part * L;
                    FloatVector.fromArray(FLOATS, x, xo + at).mul(scale).blend(0f, dropped).intoArray(out, oo + at);
                }
            }
            return i;
        }
    }
}

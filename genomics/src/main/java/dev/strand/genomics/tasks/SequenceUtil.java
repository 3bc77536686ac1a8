package dev.strand.genomics.tasks;

/** Helpers of the task builders: case, base checks (delegated to {@link dev.strand.genomics.io.Bases}) and seeded permutations. */
final class SequenceUtil {
    private SequenceUtil() {}

    static String upper(String s) {
        return s.toUpperCase(java.util.Locale.ROOT);
    }

    static String reverseComplement(String s) {
        return dev.strand.genomics.io.Bases.reverseComplement(s);
    }

    static boolean allAcgt(String s) {
        return !dev.strand.genomics.io.Bases.containsNonAcgt(s);
    }

    /** A uniformly random permutation of 0 … n−1 (Fisher–Yates; reserves n counter values of {@code gen}). */
    static int[] permutation(int n, dev.strand.tensor.Generator gen) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        long seed = gen.seed();
        long base = gen.advance(n);
        for (int i = n - 1; i > 0; i--) {
            int j = (int) Math.floorMod(dev.strand.tensor.Generator.mix(seed, base + i), (long) (i + 1));
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A uniform long in [0, bound) (one counter value of {@code gen}). */
    static long nextLong(dev.strand.tensor.Generator gen, long bound) {
        return Math.floorMod(dev.strand.tensor.Generator.mix(gen.seed(), gen.advance(1)), bound);
    }
}

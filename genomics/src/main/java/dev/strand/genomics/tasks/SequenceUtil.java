package dev.strand.genomics.tasks;

/** Base-level helpers (package-private: kept local so this package codes against the Genome and Tokenizer interfaces only). */
final class SequenceUtil {
    private SequenceUtil() {}

    static boolean isAcgt(char c) {
        return switch (c) {
            case 'A', 'C', 'G', 'T', 'a', 'c', 'g', 't' -> true;
            default -> false;
        };
    }

    /** Reverse complement keeping case; IUPAC codes map to their complements, anything else to N. */
    static String reverseComplement(String s) {
        char[] out = new char[s.length()];
        for (int i = 0; i < s.length(); i++) out[s.length() - 1 - i] = complement(s.charAt(i));
        return new String(out);
    }

    static char complement(char c) {
        char u = Character.toUpperCase(c);
        char r = switch (u) {
            case 'A' -> 'T';
            case 'T', 'U' -> 'A';
            case 'C' -> 'G';
            case 'G' -> 'C';
            case 'R' -> 'Y';
            case 'Y' -> 'R';
            case 'K' -> 'M';
            case 'M' -> 'K';
            case 'S' -> 'S';
            case 'W' -> 'W';
            case 'B' -> 'V';
            case 'V' -> 'B';
            case 'D' -> 'H';
            case 'H' -> 'D';
            case '-' -> '-';
            default -> 'N';
        };
        return Character.isLowerCase(c) ? Character.toLowerCase(r) : r;
    }

    static String upper(String s) {
        return s.toUpperCase(java.util.Locale.ROOT);
    }

    static boolean allAcgt(String s) {
        for (int i = 0; i < s.length(); i++) if (!isAcgt(s.charAt(i))) return false;
        return true;
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

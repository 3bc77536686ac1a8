package dev.strand.genomics.data;

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
}

package dev.strand.genomics.io;

/**
 * The nucleotide alphabet as Strand's readers accept it: the IUPAC codes {@code A C G T U R Y S
 * W K M B D H V N} in either case (lowercase is soft-masking and means the same base). A/C/G/T
 * tests are case-insensitive.
 */
public final class Bases {
    private Bases() {}

    /** The accepted IUPAC nucleotide letters (uppercase; lowercase is accepted too). */
    public static final String IUPAC = "ACGTURYSWKMBDHVN";

    private static final boolean[] IUPAC_TABLE = new boolean[256];
    private static final boolean[] ACGT_TABLE = new boolean[256];
    private static final char[] COMPLEMENT = new char[128];

    static {
        for (char c : IUPAC.toCharArray()) {
            IUPAC_TABLE[c] = true;
            IUPAC_TABLE[Character.toLowerCase(c)] = true;
        }
        for (char c : "ACGTacgt".toCharArray()) ACGT_TABLE[c] = true;
        String from = "ACGTURYSWKMBDHVN";
        String to = "TGCAAYRSWMKVHDBN";
        for (int i = 0; i < 128; i++) COMPLEMENT[i] = 0;
        for (int i = 0; i < from.length(); i++) {
            COMPLEMENT[from.charAt(i)] = to.charAt(i);
            COMPLEMENT[Character.toLowerCase(from.charAt(i))] = Character.toLowerCase(to.charAt(i));
        }
    }

    /** Whether a byte is an IUPAC nucleotide letter (either case). */
    public static boolean isIupac(int b) {
        return b >= 0 && b < 256 && IUPAC_TABLE[b];
    }

    /** Whether a character is A, C, G or T in either case. */
    public static boolean isAcgt(int c) {
        return c >= 0 && c < 256 && ACGT_TABLE[c];
    }

    /**
     * The 2-bit code of a base: A=0, C=1, G=2, T=3 (either case), or −1 for anything else. The
     * digit order of k-mer indexes and Markov contexts read as base-4 numbers.
     */
    public static int code(char c) {
        return switch (c) {
            case 'A', 'a' -> 0;
            case 'C', 'c' -> 1;
            case 'G', 'g' -> 2;
            case 'T', 't' -> 3;
            default -> -1;
        };
    }

    /** Whether {@code s} contains anything but A/C/G/T (either case). */
    public static boolean containsNonAcgt(CharSequence s) {
        return indexOfNonAcgt(s, 0, s.length()) >= 0;
    }

    /** Index of the first character in [from, to) that is not A/C/G/T, or -1. */
    public static int indexOfNonAcgt(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isAcgt(s.charAt(i))) return i;
        }
        return -1;
    }

    /** Index of the first character that is not an IUPAC nucleotide letter, or -1. */
    public static int indexOfNonIupac(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isIupac(s.charAt(i))) return i;
        }
        return -1;
    }

    /**
     * Complement of one IUPAC letter (A↔T, C↔G, U→A, R↔Y, K↔M, S, W, N to themselves, B↔V,
     * D↔H), keeping its case.
     */
    public static char complement(char c) {
        char r = c < 128 ? COMPLEMENT[c] : 0;
        if (r == 0) {
            throw new IllegalArgumentException("not an IUPAC nucleotide code: " + describe(c));
        }
        return r;
    }

    /**
     * Reverse complement of an IUPAC sequence, keeping case (soft-masking) per base; a character
     * outside the alphabet is an error naming it and its position.
     */
    public static String reverseComplement(CharSequence s) {
        int n = s.length();
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            char r = c < 128 ? COMPLEMENT[c] : 0;
            if (r == 0) throw new IllegalArgumentException("not an IUPAC nucleotide code: " + describe(c) + " at position " + i);
            out[n - 1 - i] = r;
        }
        return new String(out);
    }

    /** A printable description of a character for error messages, e.g. {@code '#'} or {@code 0x0b}. */
    static String describe(int c) {
        if (c >= 0x21 && c < 0x7f) return "'" + (char) c + "'";
        if (c == ' ') return "' ' (space)";
        if (c == '\t') return "tab";
        return String.format("byte 0x%02x", c & 0xff);
    }

    /** The message part that says what was expected, shared by all readers. */
    static String expectedAlphabet() {
        return "expected IUPAC nucleotide codes " + IUPAC + " (either case)";
    }
}

package dev.strand.genomics.attention;

/**
 * The best ungapped overlap of two motifs: slide one along the other (ends may hang over) and
 * count matching bases; the score is the largest count. This is DNABERT-viz's merge alignment (a
 * pairwise aligner with match 1, mismatch 0, free end gaps and internal gaps forbidden).
 *
 * @param score  matching bases at the best offset
 * @param offset where {@code b} starts relative to {@code a} at that offset (negative: before it);
 *               the smallest such offset when several tie
 */
public record GaplessAlignment(int score, int offset) {
    /** Aligns {@code b} against {@code a}, case-insensitively. */
    public static GaplessAlignment align(String a, String b) {
        int best = -1, bestOffset = 0;
        for (int offset = -(b.length() - 1); offset <= a.length() - 1; offset++) {
            int matches = 0;
            for (int j = Math.max(0, -offset); j < b.length() && j + offset < a.length(); j++) {
                if (Character.toUpperCase(a.charAt(j + offset)) == Character.toUpperCase(b.charAt(j))) matches++;
            }
            if (matches > best) {
                best = matches;
                bestOffset = offset;
            }
        }
        return new GaplessAlignment(Math.max(0, best), bestOffset);
    }
}

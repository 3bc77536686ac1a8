package dev.strand.genomics.variants;

import dev.strand.genomics.io.Genome;

/**
 * The reference window around a variant and the same window with the ALT allele in it.
 *
 * <p>The window has {@code bases} bases (fewer on a shorter contig) centred on REF and clamped to
 * the contig. The alt window keeps the same left flank; for an indel its right end is extended
 * (deletion) or cut (insertion) so that it too has {@code bases} bases, where the contig allows:
 * ref and alt then have the same number of likelihood terms, and a deletion does not look likely
 * merely for being shorter.
 *
 * @param start   0-based first base of the reference window
 * @param end     0-based exclusive end of the reference window
 * @param ref     the reference window's bases
 * @param alt     the alt window's bases
 * @param offset  where REF starts inside the window
 */
public record VariantWindow(int start, int end, String ref, String alt, int offset) {
    /**
     * The windows for replacing {@code [refStart, refEnd)} of {@code contig} by {@code alt}.
     *
     * @throws IllegalArgumentException if REF does not fit in half the window
     */
    public static VariantWindow around(Genome genome, String contig, int refStart, int refEnd, String alt, int bases) {
        int length = genome.length(contig);
        int w = Math.min(bases, length);
        int refLength = refEnd - refStart;
        if (refLength > w / 2) {
            throw new IllegalArgumentException("REF of " + refLength + " bases does not fit well in a window of " + w + " bases");
        }
        int start = Math.max(0, Math.min(length - w, refStart + refLength / 2 - w / 2));
        int end = start + w;
        String ref = genome.fetch(contig, start, end);
        String left = ref.substring(0, refStart - start);
        int rightWanted = Math.max(0, w - left.length() - alt.length());
        String right = genome.fetch(contig, refEnd, Math.min(length, refEnd + rightWanted));
        String altWindow = left + alt + right;
        if (altWindow.length() > w) altWindow = altWindow.substring(0, w);
        return new VariantWindow(start, end, ref, altWindow, refStart - start);
    }
}

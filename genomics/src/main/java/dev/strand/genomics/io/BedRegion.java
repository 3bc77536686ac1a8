package dev.strand.genomics.io;

import java.util.List;

/**
 * One BED line: chromosome and 0-based half-open [start, end) (BED's own convention), the
 * optional name (empty when absent), score ({@code NaN} when absent or {@code "."}) and strand
 * ({@code '+'}, {@code '-'} or {@code '.'}), and every column as written in {@code fields}.
 */
public record BedRegion(String chrom, int start, int end, String name, double score, char strand,
                        List<String> fields, long line) {
    public BedRegion {
        fields = List.copyOf(fields);
    }

    public int length() {
        return end - start;
    }

    /** The region's bases, reverse-complemented on the minus strand. */
    public String sequence(Genome genome) {
        String s = genome.fetch(chrom, start, end);
        return strand == '-' ? Bases.reverseComplement(s) : s;
    }

    @Override
    public String toString() {
        return chrom + ":[" + start + ", " + end + ")" + (name.isEmpty() ? "" : " " + name)
                + (strand == '.' ? "" : " " + strand);
    }
}

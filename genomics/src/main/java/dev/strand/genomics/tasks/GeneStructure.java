package dev.strand.genomics.tasks;

import java.util.List;

/**
 * A gene's exons on one contig and strand: 0-based half-open intervals sorted by position, not
 * overlapping (as genomic coordinates, whatever the strand). For AUGUSTUS's {@code genes.gb} these
 * are the CDS pieces; their inner boundaries are the splice sites.
 */
public record GeneStructure(String id, String contig, char strand, List<Exon> exons) {
    /** Bases [start, end) of the contig. */
    public record Exon(int start, int end) {
        public Exon {
            if (start < 0 || end <= start) throw new IllegalArgumentException("bad exon [" + start + ", " + end + ")");
        }
    }

    public GeneStructure {
        if (strand != '+' && strand != '-') throw new IllegalArgumentException("gene " + id + ": strand must be + or -, got '" + strand + "'");
        exons = List.copyOf(exons);
        if (exons.isEmpty()) throw new IllegalArgumentException("gene " + id + " has no exons");
        for (int i = 1; i < exons.size(); i++) {
            if (exons.get(i).start() < exons.get(i - 1).end()) {
                throw new IllegalArgumentException("gene " + id + ": exons must be sorted and disjoint, got " + exons.get(i - 1) + " then " + exons.get(i));
            }
        }
    }

    /** First base of the first exon. */
    public int start() {
        return exons.getFirst().start();
    }

    /** End of the last exon. */
    public int end() {
        return exons.getLast().end();
    }
}

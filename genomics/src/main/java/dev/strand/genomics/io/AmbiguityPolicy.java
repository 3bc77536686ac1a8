package dev.strand.genomics.io;

/**
 * What to do with windows that hold N or another IUPAC ambiguity code. {@link #KEEP} passes them
 * through unchanged (tokenizers map such letters to their own or unknown tokens); {@link #SKIP}
 * rejects them, so a dataset builder draws only windows of pure A/C/G/T (either case). Bases are
 * never rewritten by either policy.
 */
public enum AmbiguityPolicy {
    KEEP,
    SKIP;

    /** Whether a window of bases may be used under this policy. */
    public boolean accepts(CharSequence window) {
        return this == KEEP || !Bases.containsNonAcgt(window);
    }

    /** Whether [start, end) of a contig may be used under this policy. */
    public boolean accepts(Genome genome, String contig, int start, int end) {
        return this == KEEP || !containsNonAcgt(genome, contig, start, end);
    }

    /**
     * Whether [start, end) of a contig holds any base other than A/C/G/T (either case). Uses the
     * run table of a {@link FastaGenome}; fetches the window for other genomes.
     */
    public static boolean containsNonAcgt(Genome genome, String contig, int start, int end) {
        if (genome instanceof FastaGenome fg) return fg.containsNonAcgt(contig, start, end);
        return Bases.containsNonAcgt(genome.fetch(contig, start, end));
    }
}

package dev.strand.genomics.variants;

/**
 * One scored (or unscored) allele: a row of the score table.
 *
 * @param chrom       contig
 * @param pos         1-based position of REF, as in the VCF
 * @param id          the variant's ID ({@code .} when none)
 * @param ref         REF bases
 * @param alt         the ALT allele scored ({@code .} when the variant has none)
 * @param origin      a real variant or a random control substitution at a real one's position
 * @param score       log-likelihood ratio alt over ref in nats (higher: the model finds the alt
 *                    more likely); NaN when not scored
 * @param method      how it was scored; null when not scored
 * @param windowStart 1-based first base of the reference window scored (0 when not scored)
 * @param windowEnd   1-based last base of the reference window, inclusive (0 when not scored)
 * @param status      whether it was scored, and why not
 * @param note        why it was not scored, or empty
 */
public record VariantScore(String chrom, int pos, String id, String ref, String alt, Origin origin, double score,
                           ScoringMethod method, int windowStart, int windowEnd, Status status, String note) {
    /** Where an allele came from. */
    public enum Origin {
        /** From the VCF or SNP table. */
        REAL,
        /** A random substitution at a real SNV's position (ESM-1v-style sanity signal). */
        CONTROL
    }

    /** The outcome. */
    public enum Status {
        /** Scored. */
        OK,
        /** REF differs from the reference genome. */
        REF_MISMATCH,
        /** The contig is not in the reference genome. */
        UNKNOWN_CONTIG,
        /** The variant lies past the end of its contig. */
        PAST_CONTIG_END,
        /** Not scorable by this model or method; {@link #note} says why. */
        SKIPPED;

        /** The word written in score tables: {@code ok}, {@code ref_mismatch}, … */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean scored() {
        return status == Status.OK;
    }
}

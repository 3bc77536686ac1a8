package dev.strand.genomics.variants;

import java.util.List;
import java.util.function.LongConsumer;

/** One scoring method over batches of alleles. */
interface AlleleScorer {
    /** Why this allele cannot be scored by the method, or null when it can. */
    String unscorable(Allele allele);

    /** Forward-pass rows {@link #score} will run for these alleles (for progress). */
    long rows(List<Allele> alleles);

    /** The alleles' scores (log-likelihood ratios, nats), in order; {@code progress} is told about rows done. */
    double[] score(List<Allele> alleles, LongConsumer progress);
}

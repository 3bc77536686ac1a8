/**
 * Zero-shot variant-effect scoring with pretrained DNA language models (SPECS §7):
 * {@link dev.strand.genomics.variants.VariantScorer} scores VCF variants (or HISAT2 SNP tables, read by
 * {@link dev.strand.genomics.variants.HisatSnpTable}) against a reference genome by masked marginals,
 * pseudo-log-likelihoods or causal log-likelihood ratios, with optional random controls and their
 * AUROC; {@link dev.strand.genomics.variants.ScoreTable} writes the results as TSV.
 *
 * <p>Layering: the top layer, beside {@code attention} and {@code generate}; may use {@code io},
 * {@code ml}, {@code tokenize}, {@code metrics}, {@code data}, {@code tasks} and {@code train} (for
 * loading pretrained models), not {@code baseline} nor its top-layer siblings.
 */
package dev.strand.genomics.variants;

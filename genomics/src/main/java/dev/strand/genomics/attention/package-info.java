/**
 * Reading a DNA language model's attention, after DNABERT-viz (Ji et al. 2021): the attention
 * maps of every layer and head ({@link AttentionMaps}), the per-base attention score track
 * ({@link AttentionTrack}), candidate high-attention regions ({@link CandidateRegions}) and motifs
 * enriched in positive over negative sequences ({@link MotifFinder}, tested with
 * {@link Enrichment}, merged with {@link GaplessAlignment}).
 *
 * <p>Layering: the top layer, beside {@code variants} and {@code generate}; may use {@code io},
 * {@code ml}, {@code tokenize}, {@code metrics}, {@code data}, {@code tasks} and {@code train}, not
 * {@code baseline} nor its top-layer siblings.
 */
package dev.strand.genomics.attention;

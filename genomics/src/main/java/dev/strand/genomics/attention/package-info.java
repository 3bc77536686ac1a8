/**
 * Reading a DNA language model's attention, after DNABERT-viz (Ji et al. 2021): the attention
 * maps of every layer and head ({@link AttentionMaps}), the per-base attention score track
 * ({@link AttentionTrack}), candidate high-attention regions ({@link CandidateRegions}) and motifs
 * enriched in positive over negative sequences ({@link MotifFinder}, tested with
 * {@link Enrichment}, merged with {@link GaplessAlignment}).
 */
package dev.strand.genomics.attention;

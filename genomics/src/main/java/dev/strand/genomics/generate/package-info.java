/**
 * Sampling DNA from causal language models, conditioned on control tags and prompts
 * ({@link dev.strand.genomics.generate.DnaGenerator}), with the KV cache.
 *
 * <p>Layering: the top layer, beside {@code variants} and {@code attention}; may use {@code io},
 * {@code ml}, {@code tokenize}, {@code metrics}, {@code data}, {@code tasks} and {@code train}, not
 * {@code baseline} nor its top-layer siblings.
 */
package dev.strand.genomics.generate;

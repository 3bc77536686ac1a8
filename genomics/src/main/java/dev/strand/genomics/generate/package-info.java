/**
 * Sampling DNA from causal language models, conditioned on control tags and prompts
 * ({@link dev.strand.genomics.generate.DnaGenerator}), with the KV cache.
 */
package dev.strand.genomics.generate;

/**
 * Brings DNA to {@code dev.strand.nn}: FASTA/VCF input, tokenizers, masking, datasets, tasks and metrics.
 * Arrives with the genomics issue.
 */
package dev.strand.genomics;

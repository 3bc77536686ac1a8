/**
 * Data for training: MLM masking ({@link dev.strand.genomics.data.MlmMasker}, BERT and DNABERT span
 * masking), random pretraining windows with a held-out region
 * ({@link dev.strand.genomics.data.PretrainingWindows}), and labelled CSV/TSV datasets with splits
 * and padded batches ({@link dev.strand.genomics.data.LabelledDataset},
 * {@link dev.strand.genomics.data.Batch}; token-id rows padded by {@link
 * dev.strand.genomics.data.TokenRows}). All randomness comes from a seeded
 * {@link dev.strand.tensor.Generator}.
 *
 * <p>Layering: may use {@code io}, {@code ml}, {@code tokenize} and {@code metrics}; {@code tasks},
 * {@code train} and everything above build on it.
 */
package dev.strand.genomics.data;

/**
 * Data for training: MLM masking ({@link dev.strand.genomics.data.MlmMasker}, BERT and DNABERT span
 * masking), random pretraining windows with a held-out region
 * ({@link dev.strand.genomics.data.PretrainingWindows}), and labelled CSV/TSV datasets with splits
 * and padded batches ({@link dev.strand.genomics.data.LabelledDataset},
 * {@link dev.strand.genomics.data.Batch}). All randomness comes from a seeded
 * {@link dev.strand.tensor.Generator}.
 */
package dev.strand.genomics.data;

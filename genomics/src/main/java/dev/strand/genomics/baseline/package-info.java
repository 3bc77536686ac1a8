/**
 * Baselines a fine-tuned DNA language model has to beat, scored like fine-tuning on the same
 * split: normalised k-mer counts ({@link dev.strand.genomics.baseline.KmerFeatures}) into an L2
 * logistic regression ({@link dev.strand.genomics.baseline.KmerLogisticRegression}).
 *
 * <p>Layering: beside {@code train}; may use {@code io}, {@code ml}, {@code tokenize},
 * {@code metrics}, {@code data} and {@code tasks}, not {@code train} (a baseline trains no network)
 * nor the top layer ({@code variants}, {@code attention}, {@code generate}).
 */
package dev.strand.genomics.baseline;

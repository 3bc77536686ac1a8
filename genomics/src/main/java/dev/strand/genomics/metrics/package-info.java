/**
 * Evaluation: classification metrics (accuracy, precision/recall/F1, MCC, AUROC), correlations
 * (Pearson, Spearman, Enformer per-track Pearson), language-model metrics (masked-token accuracy,
 * perplexity, bits per base), an order-k Markov baseline for bits per base, and a paired bootstrap
 * for how sure a difference between two classifiers is.
 *
 * <p>Layering: above {@code io} and {@code ml}, beside {@code tokenize}; may use {@code io} (for
 * {@link dev.strand.genomics.io.Bases}) and {@code ml}, nothing that tokenizes, trains or reads tasks.
 */
package dev.strand.genomics.metrics;

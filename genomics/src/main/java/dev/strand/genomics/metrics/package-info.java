/**
 * Evaluation: classification metrics (accuracy, precision/recall/F1, MCC, AUROC), correlations
 * (Pearson, Spearman, Enformer per-track Pearson), language-model metrics (masked-token accuracy,
 * perplexity, bits per base), an order-k Markov baseline for bits per base, and a paired bootstrap
 * for how sure a difference between two classifiers is.
 */
package dev.strand.genomics.metrics;

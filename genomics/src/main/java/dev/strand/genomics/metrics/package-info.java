/**
 * Evaluation: classification metrics (accuracy, precision/recall/F1, MCC, AUROC), correlations
 * (Pearson, Spearman, Enformer per-track Pearson), language-model metrics (masked-token accuracy,
 * perplexity, bits per base) and an order-k Markov baseline for bits per base.
 */
package dev.strand.genomics.metrics;

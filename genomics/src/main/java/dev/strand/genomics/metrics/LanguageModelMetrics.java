package dev.strand.genomics.metrics;

import dev.strand.tensor.DType;
import dev.strand.tensor.Tensor;

/**
 * Language-model metrics (SPECS §2): masked-token accuracy, perplexity and bits per base, from
 * logits or from a mean cross-entropy in nats. Positions whose label is {@link #IGNORE} (−100) are
 * not scored.
 *
 * <p>Bits per base = (mean cross-entropy per token in nats) / ln 2 / (bases per token). For models
 * predicting one base per token this is the cross-entropy in bits; for a tokenizer whose tokens
 * carry several new bases each (non-overlapping 6-mers: 6, BPE: its mean token length) it divides
 * by that, so models with different tokenizers compare. Overlapping k-mers add one new base per
 * token, though each masked token spells k; which figure is meaningful there is the caller's choice.
 */
public final class LanguageModelMetrics {
    /** Label of unscored positions. */
    public static final int IGNORE = -100;

    private LanguageModelMetrics() {}

    /** exp(mean cross-entropy in nats). */
    public static double perplexity(double meanCrossEntropyNats) {
        return Math.exp(meanCrossEntropyNats);
    }

    /** Mean cross-entropy per token in nats → bits per base. */
    public static double bitsPerBase(double meanCrossEntropyNats, double basesPerToken) {
        if (!(basesPerToken > 0)) throw new IllegalArgumentException("bases per token must be positive, got " + basesPerToken);
        return meanCrossEntropyNats / Math.log(2) / basesPerToken;
    }

    /** Fraction of scored positions (label ≠ −100) where the prediction equals the label; NaN if none is scored. */
    public static double maskedTokenAccuracy(int[] predictions, int[] labels) {
        if (predictions.length != labels.length) throw new IllegalArgumentException(predictions.length + " predictions but " + labels.length + " labels");
        long n = 0, ok = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == IGNORE) continue;
            n++;
            if (predictions[i] == labels[i]) ok++;
        }
        return n == 0 ? Double.NaN : (double) ok / n;
    }

    /**
     * Running totals over batches of logits and labels: cross-entropy (nats, log-softmax in double)
     * and argmax accuracy over scored positions.
     */
    public static final class Accumulator {
        private double crossEntropy;
        private long scored, correct;

        /** Adds logits [N, V] (row-major) and labels [N]; positions labelled −100 are skipped. */
        public Accumulator add(float[] logits, int[] labels, int vocab) {
            if (vocab < 1 || logits.length != (long) labels.length * vocab) {
                throw new IllegalArgumentException(logits.length + " logits do not match " + labels.length + " labels of vocabulary " + vocab);
            }
            for (int i = 0; i < labels.length; i++) {
                int y = labels[i];
                if (y == IGNORE) continue;
                if (y < 0 || y >= vocab) throw new IllegalArgumentException("label " + y + " at position " + i + " outside the vocabulary [0, " + vocab + ")");
                int off = i * vocab;
                double max = Double.NEGATIVE_INFINITY;
                int best = 0;
                for (int k = 0; k < vocab; k++) {
                    if (logits[off + k] > max) {
                        max = logits[off + k];
                        best = k;
                    }
                }
                double sum = 0;
                for (int k = 0; k < vocab; k++) sum += Math.exp(logits[off + k] - max);
                crossEntropy += Math.log(sum) + max - logits[off + y];
                scored++;
                if (best == y) correct++;
            }
            return this;
        }

        /** Adds FLOAT32 logits [..., V] and INT32 labels [...] of the same leading shape. */
        public Accumulator add(Tensor logits, Tensor labels) {
            if (labels.dtype() != DType.INT32) throw new IllegalArgumentException("labels must be INT32, got " + labels);
            int vocab = logits.size(-1);
            return add(logits.contiguous().toFloatArray(), labels.contiguous().toIntArray(), vocab);
        }

        /** Adds an already computed sum of cross-entropies (nats) over {@code count} scored tokens, with {@code correct} of them right. */
        public Accumulator addTotals(double crossEntropySum, long count, long correctCount) {
            crossEntropy += crossEntropySum;
            scored += count;
            correct += correctCount;
            return this;
        }

        public long scored() {
            return scored;
        }

        public double accuracy() {
            return scored == 0 ? Double.NaN : (double) correct / scored;
        }

        public double meanCrossEntropy() {
            return scored == 0 ? Double.NaN : crossEntropy / scored;
        }

        public double perplexity() {
            return LanguageModelMetrics.perplexity(meanCrossEntropy());
        }

        public double bitsPerBase(double basesPerToken) {
            return LanguageModelMetrics.bitsPerBase(meanCrossEntropy(), basesPerToken);
        }
    }
}

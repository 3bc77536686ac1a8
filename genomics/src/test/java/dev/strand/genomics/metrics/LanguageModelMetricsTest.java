package dev.strand.genomics.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LanguageModelMetricsTest {
    @Test
    void perplexityAndBitsPerBase() {
        assertEquals(4.0, LanguageModelMetrics.perplexity(Math.log(4)), 1e-12);
        assertEquals(2.0, LanguageModelMetrics.bitsPerBase(Math.log(4), 1), 1e-12);
        // a 6-mer token predicted with 4096-way uncertainty: 12 bits over 6 bases
        assertEquals(2.0, LanguageModelMetrics.bitsPerBase(Math.log(4096), 6), 1e-12);
        assertEquals(1.0, LanguageModelMetrics.perplexity(0), 0);
    }

    @Test
    void maskedAccuracyIgnoresUnscoredPositions() {
        int[] pred = {5, 6, 7, 8, 9};
        int[] labels = {5, -100, 6, -100, 9};
        assertEquals(2 / 3.0, LanguageModelMetrics.maskedTokenAccuracy(pred, labels), 1e-12);
        assertTrue(Double.isNaN(LanguageModelMetrics.maskedTokenAccuracy(new int[] {1}, new int[] {-100})));
    }

    @Test
    void accumulatorOnKnownLogits() {
        // row 0: uniform over 4 → CE ln 4, argmax 0 (label 0: right); row 1 ignored;
        // row 2: logits (ln 1, ln 3, 0→−inf-ish) → p(label 1) = 3/4
        float[] logits = {0, 0, 0, 0, 9, 9, 9, 9, 0, (float) Math.log(3), -1000, -1000};
        int[] labels = {0, -100, 1};
        LanguageModelMetrics.Accumulator acc = new LanguageModelMetrics.Accumulator().add(logits, labels, 4);
        assertEquals(2, acc.scored());
        assertEquals((Math.log(4) - Math.log(0.75)) / 2, acc.meanCrossEntropy(), 1e-6);
        assertEquals(1.0, acc.accuracy(), 0);
        LanguageModelMetrics.Accumulator t = new LanguageModelMetrics.Accumulator().add(Tensor.of(logits, 1, 3, 4), Tensor.ofInts(labels, 1, 3));
        assertEquals(acc.meanCrossEntropy(), t.meanCrossEntropy(), 1e-12);
        assertEquals(Math.exp(acc.meanCrossEntropy()), t.perplexity(), 1e-9);
        assertEquals(acc.meanCrossEntropy() / Math.log(2), t.bitsPerBase(1), 1e-12);
    }
}

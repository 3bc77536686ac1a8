package dev.strand.genomics.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.tensor.Generator;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
    // TP = 3 (0, 2, 6), FN = 1 (1), FP = 1 (4), TN = 3 (3, 5, 7)
    private static final int[] Y = {1, 1, 1, 0, 0, 0, 1, 0};
    private static final int[] P = {1, 0, 1, 0, 1, 0, 1, 0};

    @Test
    void binaryHandComputed() {
        assertEquals(0.75, ClassificationMetrics.accuracy(Y, P), 1e-12);
        assertEquals(0.75, ClassificationMetrics.precision(Y, P), 1e-12);
        assertEquals(0.75, ClassificationMetrics.recall(Y, P), 1e-12);
        assertEquals(0.75, ClassificationMetrics.f1(Y, P), 1e-12);
        // (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = (9 − 1) / √(4·4·4·4) = 0.5
        assertEquals(0.5, ClassificationMetrics.mcc(Y, P), 1e-12);
        assertEquals(0.75, ClassificationMetrics.macroF1(Y, P), 1e-12);
        assertArrayEquals(new long[][] {{3, 1}, {1, 3}}, ClassificationMetrics.confusion(Y, P, 2));
        // unbalanced: TP = 1, FP = 2, FN = 0, TN = 1 → P = 1/3, R = 1, F1 = 0.5, MCC = (1 − 0)/√(3·1·3·1) = 1/3
        int[] y = {1, 0, 0, 0}, p = {1, 1, 1, 0};
        assertEquals(1 / 3.0, ClassificationMetrics.precision(y, p), 1e-12);
        assertEquals(1.0, ClassificationMetrics.recall(y, p), 1e-12);
        assertEquals(0.5, ClassificationMetrics.f1(y, p), 1e-12);
        assertEquals(1 / 3.0, ClassificationMetrics.mcc(y, p), 1e-12);
    }

    @Test
    void degenerateCases() {
        int[] y = {0, 0, 0}, p = {0, 0, 0};
        assertEquals(0.0, ClassificationMetrics.precision(y, p), 0); // no predicted positives: 0
        assertEquals(0.0, ClassificationMetrics.mcc(y, p), 0);      // undefined: 0
        assertEquals(1.0, ClassificationMetrics.macroF1(y, p), 0);  // only class 0 occurs
        assertEquals(-1.0, ClassificationMetrics.mcc(new int[] {0, 1}, new int[] {1, 0}), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.accuracy(new int[] {1}, new int[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.accuracy(new int[0], new int[0]));
    }

    @Test
    void multiclassHandComputed() {
        int[] y = {0, 0, 1, 1, 2, 2}, p = {0, 1, 1, 1, 2, 0};
        // class 0: P 1/2 R 1/2 F1 1/2; class 1: P 2/3 R 1 F1 4/5; class 2: P 1 R 1/2 F1 2/3
        assertEquals((0.5 + 2 / 3.0 + 1) / 3, ClassificationMetrics.macroPrecision(y, p), 1e-12);
        assertEquals((0.5 + 1 + 0.5) / 3, ClassificationMetrics.macroRecall(y, p), 1e-12);
        assertEquals((0.5 + 0.8 + 2 / 3.0) / 3, ClassificationMetrics.macroF1(y, p), 1e-12);
        // R_K: c = 4, s = 6, t = (2,2,2), p = (2,3,1): (4·6 − 12) / (√(36 − 14) · √(36 − 12))
        assertEquals(12 / Math.sqrt(22 * 24), ClassificationMetrics.mcc(y, p), 1e-12);
        assertEquals(4 / 6.0, ClassificationMetrics.accuracy(y, p), 1e-12);
    }

    @Test
    void aurocWithTiesIsMannWhitney() {
        // positives 0.35, 0.8, 0.4; negatives 0.1, 0.4: pairs won 1 + 0 + 1 + 1 + 1 + 0.5 (tie) = 4.5 of 6
        double[] s = {0.1, 0.4, 0.35, 0.8, 0.4};
        int[] y = {0, 0, 1, 1, 1};
        assertEquals(0.75, ClassificationMetrics.auroc(s, y), 1e-12);
        assertEquals(0.5, ClassificationMetrics.auroc(new double[] {1, 1, 1, 1}, new int[] {0, 1, 0, 1}), 1e-12);
        assertEquals(1.0, ClassificationMetrics.auroc(new double[] {0, 1}, new int[] {0, 1}), 0);
        assertEquals(0.0, ClassificationMetrics.auroc(new double[] {1, 0}, new int[] {0, 1}), 0);
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.auroc(new double[] {1, 2}, new int[] {1, 1}));
    }

    @Test
    void aurocMatchesPairCountingOnManyTies() {
        Generator g = new Generator(3);
        int n = 500;
        double[] s = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = g.nextInt(2);
            s[i] = g.nextInt(10) + y[i] * 2; // coarse scores: many ties
        }
        double won = 0;
        long pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    pairs++;
                    won += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        assertEquals(won / pairs, ClassificationMetrics.auroc(s, y), 1e-12);
    }

    @Test
    void argmaxOfLogits() {
        assertArrayEquals(new int[] {2, 0}, ClassificationMetrics.argmax(new float[] {0, 1, 3, 5, -1, 2}, 3));
    }
}

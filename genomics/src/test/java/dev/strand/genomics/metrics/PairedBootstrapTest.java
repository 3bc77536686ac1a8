package dev.strand.genomics.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {
    /** Two-class probabilities that call row i right when {@code right[i]}. */
    private static float[] calls(int[] labels, boolean[] right) {
        float[] p = new float[labels.length * 2];
        for (int i = 0; i < labels.length; i++) {
            int called = right[i] ? labels[i] : 1 - labels[i];
            p[2 * i + called] = 0.8f;
            p[2 * i + 1 - called] = 0.2f;
        }
        return p;
    }

    @Test
    void accuracyIntervalMatchesThePairedNormalApproximation() {
        // A is right on 70 % of rows, B on 65 %, correlated as two models of one task are
        int n = 4000;
        SplittableRandom r = new SplittableRandom(3);
        int[] labels = new int[n];
        boolean[] a = new boolean[n], b = new boolean[n];
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(2);
            a[i] = r.nextDouble() < 0.7;
            b[i] = r.nextDouble() < 0.5 ? a[i] : r.nextDouble() < 0.6;
            int d = (a[i] ? 1 : 0) - (b[i] ? 1 : 0);
            sum += d;
            sumSq += d * d;
        }
        double mean = sum / n, se = Math.sqrt((sumSq / n - mean * mean) / n);
        PairedBootstrap.Difference d = PairedBootstrap.classification("accuracy", labels, calls(labels, a), calls(labels, b), 2, 2000, 11);
        assertEquals(mean, d.observed(), 1e-12);
        assertEquals(mean - 1.96 * se, d.low(), 0.15 * se);
        assertEquals(mean + 1.96 * se, d.high(), 0.15 * se);
        assertTrue(d.clearlyAhead(), d.toString());
        assertEquals(1.0, d.shareAhead(), 0.01);
        assertEquals(d, PairedBootstrap.classification("accuracy", labels, calls(labels, a), calls(labels, b), 2, 2000, 11), "seeded: reproducible");
        assertEquals(d, PairedBootstrap.classification(labels, calls(labels, a), calls(labels, b), 2, 2000, 11).get("accuracy"),
                "every metric at once draws the same resamples");
    }

    @Test
    void sameClassifierDiffersByNothingAndANoisyOneIsNotClearlyAhead() {
        int n = 500;
        SplittableRandom r = new SplittableRandom(5);
        int[] labels = new int[n];
        boolean[] a = new boolean[n], b = new boolean[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(2);
            a[i] = r.nextDouble() < 0.6;
            b[i] = r.nextDouble() < 0.6;
        }
        float[] pa = calls(labels, a);
        PairedBootstrap.Difference same = PairedBootstrap.classification("mcc", labels, pa, pa, 2, 200, 1);
        assertEquals(0, same.observed());
        assertEquals(0, same.low());
        assertEquals(0, same.high());
        assertEquals(0, same.shareAhead());
        PairedBootstrap.Difference tie = PairedBootstrap.classification("mcc", labels, pa, calls(labels, b), 2, 500, 1);
        assertFalse(tie.clearlyAhead(), tie.toString());
        assertTrue(tie.low() < tie.observed() && tie.observed() < tie.high(), tie.toString());
    }

    @Test
    void percentilesInterpolateLikeNumpy() {
        assertEquals(2.5, PairedBootstrap.percentile(new double[] {1, 2, 3, 4}, 0.5));
        double[] hundred = new double[101];
        for (int i = 0; i <= 100; i++) hundred[i] = i;
        assertEquals(2.5, PairedBootstrap.percentile(hundred, 0.025), 1e-12);
        assertEquals(97.5, PairedBootstrap.percentile(hundred, 0.975), 1e-12);
    }

    @Test
    void errorsNameWhatIsWrong() {
        int[] labels = {0, 1};
        float[] p = {0.9f, 0.1f, 0.2f, 0.8f};
        IllegalArgumentException metric = assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.classification("brier", labels, p, p, 2, 10, 1));
        assertTrue(metric.getMessage().contains("brier") && metric.getMessage().contains("mcc"), metric.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PairedBootstrap.classification("mcc", labels, p, new float[2], 2, 10, 1));
    }
}

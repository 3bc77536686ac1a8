package dev.strand.genomics.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
    @Test
    void gradientMatchesCentralDifferences() {
        Random rng = new Random(5);
        int n = 7, f = 4, c = 3;
        float[] x = new float[n * f];
        int[] y = new int[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(c);
        LogisticRegression.Objective obj = new LogisticRegression.Objective(x, f, y, c, 0.3);
        double[] theta = new double[f * c + c], grad = new double[theta.length], unused = new double[theta.length];
        for (int i = 0; i < theta.length; i++) theta[i] = rng.nextGaussian();
        obj.valueAndGradient(theta, grad);
        double h = 1e-6;
        for (int i = 0; i < theta.length; i++) {
            double[] plus = theta.clone(), minus = theta.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (obj.valueAndGradient(plus, unused) - obj.valueAndGradient(minus, unused)) / (2 * h);
            assertEquals(numeric, grad[i], 1e-6, "parameter " + i);
        }
    }

    /**
     * Hand-checked: one feature, x = +1 (class 1) and x = −1 (class 0). By symmetry b = 0 and
     * W = [−w, w], so the objective is log(1 + e^(−2w)) + λw², whose minimum solves
     * λ·w·(1 + e^(2w)) = 1; for λ = 0.1 bisection gives w.
     */
    @Test
    void twoPointsGiveTheAnalyticWeight() {
        double lambda = 0.1, lo = 0, hi = 10;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (lambda * mid * (1 + Math.exp(2 * mid)) < 1) lo = mid;
            else hi = mid;
        }
        LogisticRegression m = LogisticRegression.fit(new float[] {1, -1}, 1, new int[] {1, 0}, 2, lambda, 200);
        assertEquals(lo, m.weight(0, 1), 1e-6);
        assertEquals(-lo, m.weight(0, 0), 1e-6);
        assertEquals(0, m.bias(0), 1e-6);
        float[] p = m.probabilities(new float[] {1});
        assertEquals(1 / (1 + Math.exp(-2 * lo)), p[1], 1e-6);
    }

    @Test
    void separatesSeparableClassesAndWarmStartsAgree() {
        Random rng = new Random(9);
        int n = 300, f = 5, c = 3;
        float[] x = new float[n * f];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % c;
            for (int j = 0; j < f; j++) x[i * f + j] = (float) (rng.nextGaussian() * 0.3 + (j == y[i] ? 2 : 0));
        }
        LogisticRegression cold = LogisticRegression.fit(x, f, y, c, 1e-3, 300);
        float[] p = cold.probabilities(x);
        int right = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < c; k++) if (p[i * c + k] > p[i * c + best]) best = k;
            if (best == y[i]) right++;
        }
        assertEquals(n, right, "well separated classes are all fitted");
        LogisticRegression warm = LogisticRegression.fit(x, f, y, c, 1e-3, 300, LogisticRegression.fit(x, f, y, c, 1e-1, 300));
        assertTrue(warm.iterations() <= cold.iterations() + 5);
        for (int j = 0; j < f; j++) for (int k = 0; k < c; k++) assertEquals(cold.weight(j, k), warm.weight(j, k), 1e-3);
    }

    @Test
    void unstandardisedWeightsGiveTheSameLogitsOnRawRows() {
        Random rng = new Random(3);
        int n = 60, f = 4, c = 3;
        float[] raw = new float[n * f];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % c;
            for (int j = 0; j < f; j++) raw[i * f + j] = (float) (5 + 0.2 * rng.nextGaussian() + (j == y[i] ? 0.3 : 0));
        }
        float[] standard = raw.clone();
        Standardiser z = Standardiser.fitInPlace(standard, n, f);
        LogisticRegression m = LogisticRegression.fit(standard, f, y, c, 1e-3, 200);
        float[] w = new float[c * f], b = new float[c];
        m.unstandardised(z, w, b);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < c; k++) {
                double onStandard = m.bias(k), onRaw = b[k];
                for (int j = 0; j < f; j++) {
                    onStandard += m.weight(j, k) * standard[i * f + j];
                    onRaw += w[k * f + j] * raw[i * f + j];
                }
                assertEquals(onStandard, onRaw, 1e-3, "row " + i + ", class " + k);
            }
        }
        float[] w1 = new float[c * f], b1 = new float[c];
        m.unstandardised(Standardiser.identity(f), w1, b1);
        for (int j = 0; j < f; j++) for (int k = 0; k < c; k++) assertEquals((float) m.weight(j, k), w1[k * f + j], "the identity leaves the weights");
        for (int k = 0; k < c; k++) assertEquals((float) m.bias(k), b1[k]);
    }
}

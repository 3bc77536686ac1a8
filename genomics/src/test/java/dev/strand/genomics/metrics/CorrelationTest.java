package dev.strand.genomics.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.Generator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CorrelationTest {
    @Test
    void handComputed() {
        double[] x = {1, 2, 3, 4, 5}, y = {2, 4, 5, 4, 5};
        // dx = (−2,−1,0,1,2), dy = (−2,0,1,0,1): Σdxdy = 6, Σdx² = 10, Σdy² = 6
        assertEquals(6 / Math.sqrt(60), Correlation.pearson(x, y), 1e-12);
        // ranks of y with ties averaged: (1, 2.5, 4.5, 2.5, 4.5): Σ = 7, Σd² = 9
        assertEquals(7 / Math.sqrt(90), Correlation.spearman(x, y), 1e-12);
        assertEquals(1.0, Correlation.spearman(new double[] {1, 2, 3}, new double[] {1, 10, 1000}), 1e-12);
        assertTrue(Double.isNaN(Correlation.pearson(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
        assertThrows(IllegalArgumentException.class, () -> Correlation.pearson(new double[] {1}, new double[] {1}));
    }

    /** Independent two-pass Pearson. */
    private static double pearsonRef(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElseThrow(), my = Arrays.stream(y).average().orElseThrow();
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** Independent midranks (O(n²)). */
    private static double[] ranks(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            int less = 0, equal = 0;
            for (double w : v) {
                if (w < v[i]) less++;
                else if (w == v[i]) equal++;
            }
            r[i] = less + (equal + 1) / 2.0;
        }
        return r;
    }

    @Test
    void randomDataAgainstIndependentComputation() {
        Generator g = new Generator(9);
        double[] x = new double[300], y = new double[300];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.floor(g.nextFloat() * 20); // ties
            y[i] = 0.5 * x[i] + g.nextFloat() * 8;
        }
        assertEquals(pearsonRef(x, y), Correlation.pearson(x, y), 1e-10);
        assertEquals(pearsonRef(ranks(x), ranks(y)), Correlation.spearman(x, y), 1e-10);
        float[] xf = new float[x.length], yf = new float[y.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i];
            yf[i] = (float) y[i];
        }
        assertEquals(Correlation.pearson(x, y), Correlation.pearson(xf, yf), 1e-6);
    }

    @Test
    void trackPearsonConventions() {
        Generator g = new Generator(2);
        int samples = 3, bins = 16, tracks = 2;
        Correlation.TrackPearson tp = new Correlation.TrackPearson(tracks);
        double[][] pooledX = new double[tracks][samples * bins], pooledY = new double[tracks][samples * bins];
        double perSample = 0;
        for (int s = 0; s < samples; s++) {
            float[] pred = new float[bins * tracks], target = new float[bins * tracks];
            for (int i = 0; i < pred.length; i++) {
                target[i] = g.nextFloat() * 10 + s * 5; // sample offsets make (a) and (b) differ
                pred[i] = target[i] + g.nextFloat() * 6;
            }
            tp.add(pred, target);
            for (int t = 0; t < tracks; t++) {
                double[] a = new double[bins], b = new double[bins];
                for (int i = 0; i < bins; i++) {
                    a[i] = pred[i * tracks + t];
                    b[i] = target[i * tracks + t];
                    pooledX[t][s * bins + i] = a[i];
                    pooledY[t][s * bins + i] = b[i];
                }
                perSample += pearsonRef(a, b);
            }
        }
        double pooled = (pearsonRef(pooledX[0], pooledY[0]) + pearsonRef(pooledX[1], pooledY[1])) / 2;
        assertEquals(pooled, tp.pooled(), 1e-6);
        assertEquals(perSample / (samples * tracks), tp.perSample(), 1e-6);
        assertTrue(tp.pooled() > tp.perSample(), "pooling across samples with different levels raises r");
    }
}

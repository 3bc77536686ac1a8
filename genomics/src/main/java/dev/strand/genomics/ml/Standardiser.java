package dev.strand.genomics.ml;

import java.util.Arrays;

/**
 * Per-feature z-scores of rows [n, features] (row-major): x ↦ (x − mean) / sd, with the mean and
 * population standard deviation of the rows it was fitted on. An sd of 0 counts as 1, so a
 * constant feature becomes 0 rather than NaN.
 */
public final class Standardiser {
    private final double[] mean, sd;   // [features]

    private Standardiser(double[] mean, double[] sd) {
        this.mean = mean;
        this.sd = sd;
    }

    /** Fits the moments of rows x [n, d] and standardises x by them in place. */
    public static Standardiser fitInPlace(float[] x, int n, int d) {
        double[] mean = new double[d], sd = new double[d];
        for (int i = 0; i < n; i++) for (int f = 0; f < d; f++) mean[f] += x[i * d + f];
        for (int f = 0; f < d; f++) mean[f] /= n;
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                double z = x[i * d + f] - mean[f];
                sd[f] += z * z;
            }
        }
        for (int f = 0; f < d; f++) sd[f] = sd[f] > 0 ? Math.sqrt(sd[f] / n) : 1;
        for (int i = 0; i < n; i++) for (int f = 0; f < d; f++) x[i * d + f] = (float) ((x[i * d + f] - mean[f]) / sd[f]);
        return new Standardiser(mean, sd);
    }

    /** The standardiser that changes nothing: mean 0 and sd 1 for each of {@code d} features. */
    public static Standardiser identity(int d) {
        double[] sd = new double[d];
        Arrays.fill(sd, 1);
        return new Standardiser(new double[d], sd);
    }

    /** Standardises rows x [n, features] in place with these moments (e.g. test rows by train's). */
    public void apply(float[] x) {
        int d = mean.length;
        for (int i = 0; i < x.length; i++) x[i] = (float) ((x[i] - mean[i % d]) / sd[i % d]);
    }

    public int features() {
        return mean.length;
    }

    /** The mean of feature {@code f}. */
    public double mean(int f) {
        return mean[f];
    }

    /** The standard deviation of feature {@code f} (1 where the fitted rows held it constant). */
    public double sd(int f) {
        return sd[f];
    }
}

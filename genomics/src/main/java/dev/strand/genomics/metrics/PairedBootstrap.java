package dev.strand.genomics.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How sure a difference between two classifiers scored on the same rows is: the paired bootstrap
 * (Efron and Tibshirani 1993; Koehn 2004 for comparing systems). Each resample draws the test rows
 * with replacement, scores both classifiers on that same draw, and keeps the difference; the
 * 2.5th and 97.5th percentiles of those differences bound a 95 % interval.
 *
 * <p>It measures test-set noise only: a classifier retrained with another seed moves by more.
 */
public final class PairedBootstrap {
    private PairedBootstrap() {}

    /**
     * A difference {@code metric(A) − metric(B)}: its value on the rows themselves, the 95 %
     * percentile interval over resamples, and the share of resamples in which A came out ahead.
     */
    public record Difference(String metric, double observed, double low, double high, double shareAhead, int resamples) {
        /** Whether the whole interval lies above zero. */
        public boolean clearlyAhead() {
            return low > 0;
        }
    }

    /**
     * The difference in {@code metric} (a key of {@link TaskScores#classification}: accuracy, f1,
     * mcc, auroc, …) between classifiers A and B.
     *
     * @param labels     class of each row [n]
     * @param a          A's class probabilities [n, classes] row-major
     * @param b          B's, for the same rows in the same order
     * @param resamples  bootstrap resamples (1,000 is the usual number for a 95 % interval)
     * @param seed       seeds the resampling, so a report can be reproduced
     */
    public static Difference classification(String metric, int[] labels, float[] a, float[] b, int classes, int resamples, long seed) {
        if (a.length != b.length) throw new IllegalArgumentException("the classifiers scored different rows: " + a.length + " and " + b.length + " probabilities");
        if (resamples < 2) throw new IllegalArgumentException("need at least 2 resamples, got " + resamples);
        double observed = value(metric, labels, a, b, classes);
        int n = labels.length;
        int[] drawnLabels = new int[n];
        float[] drawnA = new float[a.length], drawnB = new float[b.length];
        double[] differences = new double[resamples];
        SplittableRandom random = new SplittableRandom(seed);
        int ahead = 0;
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                int row = random.nextInt(n);
                drawnLabels[i] = labels[row];
                System.arraycopy(a, row * classes, drawnA, i * classes, classes);
                System.arraycopy(b, row * classes, drawnB, i * classes, classes);
            }
            differences[r] = value(metric, drawnLabels, drawnA, drawnB, classes);
            if (differences[r] > 0) ahead++;
        }
        Arrays.sort(differences);
        return new Difference(metric, observed, percentile(differences, 0.025), percentile(differences, 0.975), (double) ahead / resamples, resamples);
    }

    private static double value(String metric, int[] labels, float[] a, float[] b, int classes) {
        Double x = TaskScores.classification(labels, a, classes).values().get(metric);
        if (x == null) throw new IllegalArgumentException("no classification metric " + metric + "; use one of " + TaskScores.classification(labels, a, classes).values().keySet());
        return x - TaskScores.classification(labels, b, classes).values().get(metric);
    }

    /** The {@code q} quantile of ascending {@code sorted}, interpolating between order statistics (type 7, numpy's default). */
    static double percentile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int lo = (int) Math.floor(at), hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
    }
}

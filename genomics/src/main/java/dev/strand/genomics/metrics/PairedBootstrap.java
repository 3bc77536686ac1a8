package dev.strand.genomics.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        return resample(List.of(metric), labels, a, b, classes, resamples, seed).get(metric);
    }

    /** Every metric of {@link TaskScores#classification}, all from the same resamples (arguments as above). */
    public static Map<String, Difference> classification(int[] labels, float[] a, float[] b, int classes, int resamples, long seed) {
        return resample(null, labels, a, b, classes, resamples, seed);
    }

    /** The differences in {@code metrics} (null: all), one scoring of each classifier per resample. */
    private static Map<String, Difference> resample(List<String> metrics, int[] labels, float[] a, float[] b, int classes, int resamples, long seed) {
        if (a.length != b.length) throw new IllegalArgumentException("the classifiers scored different rows: " + a.length + " and " + b.length + " probabilities");
        if (resamples < 2) throw new IllegalArgumentException("need at least 2 resamples, got " + resamples);
        Map<String, Double> observed = differences(labels, a, b, classes);
        if (metrics == null) metrics = List.copyOf(observed.keySet());
        for (String m : metrics) {
            if (!observed.containsKey(m)) throw new IllegalArgumentException("no classification metric " + m + "; use one of " + observed.keySet());
        }
        int n = labels.length;
        int[] drawnLabels = new int[n];
        float[] drawnA = new float[a.length], drawnB = new float[b.length];
        double[][] drawn = new double[metrics.size()][resamples];
        SplittableRandom random = new SplittableRandom(seed);
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                int row = random.nextInt(n);
                drawnLabels[i] = labels[row];
                System.arraycopy(a, row * classes, drawnA, i * classes, classes);
                System.arraycopy(b, row * classes, drawnB, i * classes, classes);
            }
            Map<String, Double> d = differences(drawnLabels, drawnA, drawnB, classes);
            for (int m = 0; m < metrics.size(); m++) drawn[m][r] = d.get(metrics.get(m));
        }
        Map<String, Difference> out = new LinkedHashMap<>();
        for (int m = 0; m < metrics.size(); m++) {
            double[] v = drawn[m];
            int ahead = 0;
            for (double x : v) if (x > 0) ahead++;
            Arrays.sort(v);
            String name = metrics.get(m);
            out.put(name, new Difference(name, observed.get(name), percentile(v, 0.025), percentile(v, 0.975), (double) ahead / resamples, resamples));
        }
        return out;
    }

    /** metric(A) − metric(B) for every classification metric. */
    private static Map<String, Double> differences(int[] labels, float[] a, float[] b, int classes) {
        Map<String, Double> x = TaskScores.classification(labels, a, classes).values(), y = TaskScores.classification(labels, b, classes).values();
        Map<String, Double> d = new LinkedHashMap<>();
        x.forEach((k, v) -> d.put(k, v - y.get(k)));
        return d;
    }

    /** The {@code q} quantile of ascending {@code sorted}, interpolating between order statistics (type 7, numpy's default). */
    static double percentile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int lo = (int) Math.floor(at), hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
    }
}

package dev.strand.genomics.metrics;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * Correlations for regression tasks (Apache Commons Math), and Enformer-style per-track Pearson
 * (SPECS §9) under both of its conventions.
 */
public final class Correlation {
    private Correlation() {}

    /** Pearson's r; NaN when either input is constant. */
    public static double pearson(double[] x, double[] y) {
        check(x, y);
        return new PearsonsCorrelation().correlation(x, y);
    }

    /** Spearman's ρ: Pearson's r of the ranks, ties given their mean rank. */
    public static double spearman(double[] x, double[] y) {
        check(x, y);
        return new SpearmansCorrelation().correlation(x, y);
    }

    public static double pearson(float[] x, float[] y) {
        return pearson(toDouble(x), toDouble(y));
    }

    public static double spearman(float[] x, float[] y) {
        return spearman(toDouble(x), toDouble(y));
    }

    private static void check(double[] x, double[] y) {
        if (x.length != y.length) throw new IllegalArgumentException(x.length + " predictions but " + y.length + " targets");
        if (x.length < 2) throw new IllegalArgumentException("correlation needs at least 2 points, got " + x.length);
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /**
     * Per-track Pearson correlation over samples of predictions and targets laid out [bins, tracks]
     * (row-major), accumulated one sample at a time.
     *
     * <ul>
     *   <li>{@link #pooled()} — convention (b), the Enformer paper's: for each track, sums over all
     *       samples and bins, r from those sums; then the mean over tracks.</li>
     *   <li>{@link #perSample()} — convention (a): r over the bins of each (sample, track), then the
     *       mean over all of them (pairs with a constant side, where r is undefined, are skipped and
     *       counted in {@link #undefinedPairs()}).</li>
     * </ul>
     */
    public static final class TrackPearson {
        private final int tracks;
        private final double[] n, sx, sy, sxx, syy, sxy;
        private double perSampleSum;
        private long perSampleCount, undefined;

        public TrackPearson(int tracks) {
            if (tracks < 1) throw new IllegalArgumentException("tracks must be positive, got " + tracks);
            this.tracks = tracks;
            n = new double[tracks];
            sx = new double[tracks];
            sy = new double[tracks];
            sxx = new double[tracks];
            syy = new double[tracks];
            sxy = new double[tracks];
        }

        /** Adds one sample: {@code pred} and {@code target} hold [bins, tracks] values. */
        public void add(float[] pred, float[] target) {
            if (pred.length != target.length || pred.length % tracks != 0) {
                throw new IllegalArgumentException(pred.length + " predictions and " + target.length + " targets do not form [bins, " + tracks + "]");
            }
            int bins = pred.length / tracks;
            for (int t = 0; t < tracks; t++) {
                double a = 0, b = 0, aa = 0, bb = 0, ab = 0;
                for (int i = 0; i < bins; i++) {
                    double x = pred[i * tracks + t], y = target[i * tracks + t];
                    a += x;
                    b += y;
                    aa += x * x;
                    bb += y * y;
                    ab += x * y;
                }
                n[t] += bins;
                sx[t] += a;
                sy[t] += b;
                sxx[t] += aa;
                syy[t] += bb;
                sxy[t] += ab;
                double r = r(bins, a, b, aa, bb, ab);
                if (Double.isNaN(r)) {
                    undefined++;
                } else {
                    perSampleSum += r;
                    perSampleCount++;
                }
            }
        }

        /** Convention (b): per-track r from sums over all samples and bins, averaged over tracks. */
        public double pooled() {
            double s = 0;
            for (int t = 0; t < tracks; t++) s += track(t);
            return s / tracks;
        }

        /** Convention (b) r of one track. */
        public double track(int t) {
            return r(n[t], sx[t], sy[t], sxx[t], syy[t], sxy[t]);
        }

        /** Convention (a): mean of per-(sample, track) r over bins. */
        public double perSample() {
            return perSampleCount == 0 ? Double.NaN : perSampleSum / perSampleCount;
        }

        /** (sample, track) pairs skipped by {@link #perSample} because one side was constant. */
        public long undefinedPairs() {
            return undefined;
        }

        private static double r(double n, double a, double b, double aa, double bb, double ab) {
            double cov = ab - a * b / n, va = aa - a * a / n, vb = bb - b * b / n;
            if (va <= 0 || vb <= 0) return Double.NaN;
            return cov / Math.sqrt(va * vb);
        }
    }
}

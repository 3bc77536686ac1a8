package dev.strand.genomics.metrics;

import java.util.Arrays;

/**
 * Classification metrics on integer labels and predictions (classes 0 … C−1).
 *
 * <p>Conventions (as scikit-learn with {@code zero_division=0}): a precision, recall or F1 whose
 * denominator is 0 is 0; macro averages are unweighted means over the classes that occur among the
 * labels or the predictions; MCC is the multiclass generalisation (Gorodkin's R_K, as
 * {@code sklearn.metrics.matthews_corrcoef}), equal to the usual (TP·TN − FP·FN)/√… for two classes,
 * and 0 when its denominator is 0. AUROC is the Mann–Whitney statistic: the probability that a
 * random positive scores above a random negative, ties counting one half (midranks).
 */
public final class ClassificationMetrics {
    private ClassificationMetrics() {}

    /** Fraction of predictions equal to the label. */
    public static double accuracy(int[] labels, int[] predictions) {
        check(labels, predictions);
        int ok = 0;
        for (int i = 0; i < labels.length; i++) if (labels[i] == predictions[i]) ok++;
        return (double) ok / labels.length;
    }

    /** Confusion counts {@code m[label][prediction]} over {@code classes} classes. */
    public static long[][] confusion(int[] labels, int[] predictions, int classes) {
        check(labels, predictions);
        long[][] m = new long[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes || predictions[i] < 0 || predictions[i] >= classes) {
                throw new IllegalArgumentException("item " + i + ": label " + labels[i] + " or prediction " + predictions[i] + " outside classes 0.." + (classes - 1));
            }
            m[labels[i]][predictions[i]]++;
        }
        return m;
    }

    /** Precision of class {@code positive}: TP / (TP + FP). */
    public static double precision(int[] labels, int[] predictions, int positive) {
        check(labels, predictions);
        long tp = 0, fp = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i] == positive) {
                if (labels[i] == positive) tp++;
                else fp++;
            }
        }
        return ratio(tp, tp + fp);
    }

    /** Recall of class {@code positive}: TP / (TP + FN). */
    public static double recall(int[] labels, int[] predictions, int positive) {
        check(labels, predictions);
        long tp = 0, fn = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == positive) {
                if (predictions[i] == positive) tp++;
                else fn++;
            }
        }
        return ratio(tp, tp + fn);
    }

    /** F1 of class {@code positive}: 2·TP / (2·TP + FP + FN). */
    public static double f1(int[] labels, int[] predictions, int positive) {
        check(labels, predictions);
        long tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean p = predictions[i] == positive, l = labels[i] == positive;
            if (p && l) tp++;
            else if (p) fp++;
            else if (l) fn++;
        }
        return ratio(2 * tp, 2 * tp + fp + fn);
    }

    /** Binary precision (positive class 1). */
    public static double precision(int[] labels, int[] predictions) {
        return precision(labels, predictions, 1);
    }

    /** Binary recall (positive class 1). */
    public static double recall(int[] labels, int[] predictions) {
        return recall(labels, predictions, 1);
    }

    /** Binary F1 (positive class 1). */
    public static double f1(int[] labels, int[] predictions) {
        return f1(labels, predictions, 1);
    }

    /** Unweighted mean of the per-class precisions. */
    public static double macroPrecision(int[] labels, int[] predictions) {
        int[] present = present(labels, predictions);
        double s = 0;
        for (int k : present) s += precision(labels, predictions, k);
        return s / present.length;
    }

    /** Unweighted mean of the per-class recalls. */
    public static double macroRecall(int[] labels, int[] predictions) {
        int[] present = present(labels, predictions);
        double s = 0;
        for (int k : present) s += recall(labels, predictions, k);
        return s / present.length;
    }

    /** Unweighted mean of the per-class F1 scores (GUE's reported F1). */
    public static double macroF1(int[] labels, int[] predictions) {
        int[] present = present(labels, predictions);
        double s = 0;
        for (int k : present) s += f1(labels, predictions, k);
        return s / present.length;
    }

    /** Matthews correlation coefficient (multiclass R_K; binary MCC for two classes). */
    public static double mcc(int[] labels, int[] predictions) {
        int c = classes(labels, predictions);
        long[][] m = confusion(labels, predictions, c);
        double n = labels.length, correct = 0;
        double[] t = new double[c], p = new double[c];
        for (int i = 0; i < c; i++) {
            correct += m[i][i];
            for (int j = 0; j < c; j++) {
                t[i] += m[i][j];
                p[j] += m[i][j];
            }
        }
        double tp = 0, tt = 0, pp = 0;
        for (int k = 0; k < c; k++) {
            tp += t[k] * p[k];
            tt += t[k] * t[k];
            pp += p[k] * p[k];
        }
        double num = correct * n - tp;
        double den = Math.sqrt(n * n - pp) * Math.sqrt(n * n - tt);
        return den == 0 ? 0 : num / den;
    }

    /**
     * Area under the ROC curve of {@code scores} for binary {@code labels} (1 = positive, 0 =
     * negative): U / (n₊·n₋) where U is the Mann–Whitney statistic from midranks, so tied scores
     * count one half. Needs both classes.
     */
    public static double auroc(double[] scores, int[] labels) {
        if (scores.length != labels.length) throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        int n = scores.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (labels[i] != 0 && labels[i] != 1) throw new IllegalArgumentException("AUROC needs labels 0/1, item " + i + " is " + labels[i]);
            if (Double.isNaN(scores[i])) throw new IllegalArgumentException("AUROC: score " + i + " is NaN");
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        long pos = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[idx[j + 1]] == scores[idx[i]]) j++;
            double mid = (i + j) / 2.0 + 1; // ranks are 1-based
            for (int k = i; k <= j; k++) {
                if (labels[idx[k]] == 1) {
                    rankSumPos += mid;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) throw new IllegalArgumentException("AUROC needs positives and negatives, got " + pos + " and " + neg);
        double u = rankSumPos - pos * (pos + 1) / 2.0;
        return u / ((double) pos * neg);
    }

    /** Row-wise argmax of scores {@code [n, classes]} in row-major order. */
    public static int[] argmax(float[] scores, int classes) {
        if (classes < 1 || scores.length % classes != 0) throw new IllegalArgumentException(scores.length + " scores do not split into rows of " + classes);
        int[] out = new int[scores.length / classes];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int k = 1; k < classes; k++) if (scores[i * classes + k] > scores[i * classes + best]) best = k;
            out[i] = best;
        }
        return out;
    }

    private static int classes(int[] labels, int[] predictions) {
        check(labels, predictions);
        int max = 1;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || predictions[i] < 0) throw new IllegalArgumentException("item " + i + ": negative class " + Math.min(labels[i], predictions[i]));
            max = Math.max(max, Math.max(labels[i], predictions[i]));
        }
        return max + 1;
    }

    /** The classes occurring among labels or predictions, ascending. */
    private static int[] present(int[] labels, int[] predictions) {
        int c = classes(labels, predictions);
        boolean[] seen = new boolean[c];
        for (int i = 0; i < labels.length; i++) {
            seen[labels[i]] = true;
            seen[predictions[i]] = true;
        }
        int n = 0;
        int[] out = new int[c];
        for (int k = 0; k < c; k++) if (seen[k]) out[n++] = k;
        return Arrays.copyOf(out, n);
    }

    private static void check(int[] labels, int[] predictions) {
        if (labels.length != predictions.length) throw new IllegalArgumentException(labels.length + " labels but " + predictions.length + " predictions");
        if (labels.length == 0) throw new IllegalArgumentException("no items to score");
    }

    private static double ratio(long num, long den) {
        return den == 0 ? 0 : (double) num / den;
    }
}

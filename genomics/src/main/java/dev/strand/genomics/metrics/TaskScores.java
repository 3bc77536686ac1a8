package dev.strand.genomics.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The test figures of a fine-tuned model or a baseline on a labelled set, by name, in a fixed
 * order. Classification: {@code accuracy}, {@code f1} (macro F1, GUE's; the positive class's F1
 * for two classes is {@code f1_positive}), {@code mcc}, {@code auroc} (two classes: of the class-1
 * probability; more: the mean one-vs-rest AUROC over classes present with both signs). Regression:
 * {@code mse}, {@code pearson}, {@code spearman} (means over targets when there are several).
 * {@link #primary()} is the figure early stopping watches: MCC or Pearson.
 *
 * @param kind   "classification" or "regression"
 * @param n      rows scored
 * @param values metric name → value (NaN where undefined, e.g. Pearson of a constant prediction)
 */
public record TaskScores(String kind, int n, Map<String, Double> values) {
    public static final String CLASSIFICATION = "classification", REGRESSION = "regression";

    public TaskScores {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Scores from class labels [n] and class probabilities [n, classes] (row-major). */
    public static TaskScores classification(int[] labels, float[] probabilities, int classes) {
        if (probabilities.length != labels.length * classes) {
            throw new IllegalArgumentException(labels.length + " labels but " + probabilities.length + " probabilities for " + classes + " classes");
        }
        int[] predicted = ClassificationMetrics.argmax(probabilities, classes);
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("accuracy", ClassificationMetrics.accuracy(labels, predicted));
        v.put("f1", ClassificationMetrics.macroF1(labels, predicted));
        if (classes == 2) v.put("f1_positive", ClassificationMetrics.f1(labels, predicted));
        v.put("mcc", ClassificationMetrics.mcc(labels, predicted));
        v.put("auroc", oneVsRestAuroc(labels, probabilities, classes));
        return new TaskScores(CLASSIFICATION, labels.length, v);
    }

    /** Scores from targets and predictions, both [n, targets] (row-major). */
    public static TaskScores regression(float[] targets, float[] predictions, int width) {
        if (targets.length != predictions.length || width < 1 || targets.length % width != 0) {
            throw new IllegalArgumentException(targets.length + " targets and " + predictions.length + " predictions do not form [n, " + width + "]");
        }
        int n = targets.length / width;
        double mse = 0, pearson = 0, spearman = 0;
        for (int k = 0; k < width; k++) {
            double[] y = new double[n], p = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = targets[i * width + k];
                p[i] = predictions[i * width + k];
                mse += (p[i] - y[i]) * (p[i] - y[i]);
            }
            pearson += Correlation.pearson(p, y);
            spearman += Correlation.spearman(p, y);
        }
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("mse", mse / targets.length);
        v.put("pearson", pearson / width);
        v.put("spearman", spearman / width);
        return new TaskScores(REGRESSION, n, v);
    }

    /** Two classes: AUROC of P(class 1). More: the mean over classes of class-k-vs-rest AUROC (classes without both signs skipped). */
    static double oneVsRestAuroc(int[] labels, float[] probabilities, int classes) {
        int n = labels.length;
        double sum = 0;
        int counted = 0;
        for (int k = classes == 2 ? 1 : 0; k < classes; k++) {
            double[] score = new double[n];
            int[] isK = new int[n];
            int positives = 0;
            for (int i = 0; i < n; i++) {
                score[i] = probabilities[i * classes + k];
                isK[i] = labels[i] == k ? 1 : 0;
                positives += isK[i];
            }
            if (positives == 0 || positives == n) continue;
            sum += ClassificationMetrics.auroc(score, isK);
            counted++;
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** MCC for classification, Pearson for regression: higher is better. */
    public double primary() {
        return get(primaryName());
    }

    /** The name of {@link #primary()}. */
    public String primaryName() {
        return kind.equals(REGRESSION) ? "pearson" : "mcc";
    }

    /** One metric; an error naming the ones there are if absent. */
    public double get(String name) {
        Double v = values.get(name);
        if (v == null) throw new IllegalArgumentException("no metric '" + name + "' among " + values.keySet());
        return v;
    }

    /** "accuracy 0.912  f1 0.911  mcc 0.824  auroc 0.957  (n = 800)". */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner("  ");
        values.forEach((k, v) -> j.add(String.format(Locale.ROOT, "%s %.3f", k, v)));
        return j + "  (n = " + n + ")";
    }
}

package dev.strand.genomics.baseline;

import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.metrics.TaskScores;
import dev.strand.genomics.ml.LogisticRegression;
import dev.strand.genomics.tasks.FineTuningData;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline a fine-tuned model should beat: normalised k-mer counts ({@link KmerFeatures}),
 * standardised with the train set's per-feature mean and standard deviation, then L2-regularised
 * multinomial {@link LogisticRegression}. With several penalties the one with the best dev score
 * (MCC) is kept; they are fitted from the largest down, each starting from the previous solution.
 * Reports the same {@link TaskScores} as fine-tuning, on the same split.
 */
public final class KmerLogisticRegression {
    /**
     * @param k             k-mer length (4^k features)
     * @param bothStrands   count each k-mer for its reverse complement too
     * @param l2            penalties λ to try (the best on dev wins; one value skips the choice)
     * @param maxIterations L-BFGS iterations per fit
     */
    public record Settings(int k, boolean bothStrands, List<Double> l2, int maxIterations) {
        public Settings {
            l2 = List.copyOf(l2);
            if (l2.isEmpty()) throw new IllegalArgumentException("give at least one L2 penalty");
            if (maxIterations < 1) throw new IllegalArgumentException("iterations must be positive, got " + maxIterations);
        }

        /** k = 4, both strands, λ from {1e-4, 1e-3, 1e-2, 1e-1}, 300 iterations. */
        public static Settings defaults() {
            return new Settings(4, true, List.of(1e-4, 1e-3, 1e-2, 1e-1), 300);
        }

        public Settings withK(int newK) {
            return new Settings(newK, bothStrands, l2, maxIterations);
        }
    }

    /**
     * @param dev        dev scores of the chosen fit
     * @param test       test scores of the chosen fit
     * @param l2         the chosen penalty
     * @param iterations L-BFGS iterations of the chosen fit
     * @param seconds    wall time of features, fits and scoring
     * @param testOutputs the chosen fit's class probabilities on test [n, classes], row-major in file
     *                   order (for paired comparisons with other classifiers on the same rows)
     */
    public record Result(int k, boolean bothStrands, double l2, TaskScores dev, TaskScores test, int iterations, double seconds, float[] testOutputs) {}

    private final KmerFeatures features;
    private final float[] mean, scale;
    private final LogisticRegression model;
    private final int classes;

    private KmerLogisticRegression(KmerFeatures features, float[] mean, float[] scale, LogisticRegression model, int classes) {
        this.features = features;
        this.mean = mean;
        this.scale = scale;
        this.model = model;
        this.classes = classes;
    }

    /** Fits on {@code data.train()}, chooses λ on dev, scores dev and test. Classification only. */
    public static Result run(FineTuningData data, Settings settings) {
        return run(data.train(), data.dev(), data.test(), data.labels().size(), settings);
    }

    /** Fits on {@code train}, chooses λ on {@code dev}, scores dev and test. */
    public static Result run(LabelledDataset train, LabelledDataset dev, LabelledDataset test, int classes, Settings settings) {
        long start = System.nanoTime();
        for (LabelledDataset d : List.of(train, dev, test)) {
            if (d.task() != LabelledDataset.Task.CLASSIFICATION) {
                throw new IllegalArgumentException("the k-mer logistic-regression baseline is for classification; " + d.source() + " is regression");
            }
        }
        KmerFeatures kf = new KmerFeatures(settings.k(), settings.bothStrands());
        float[] xTrain = kf.matrix(sequences(train));
        int f = kf.size();
        float[] mean = new float[f], scale = new float[f];
        standardisation(xTrain, f, mean, scale);
        standardise(xTrain, f, mean, scale);
        float[] xDev = standardise(kf.matrix(sequences(dev)), f, mean, scale);
        KmerLogisticRegression best = null;
        TaskScores bestDev = null;
        double bestL2 = Double.NaN;
        List<Double> penalties = new ArrayList<>(settings.l2());
        penalties.sort(java.util.Comparator.reverseOrder());
        LogisticRegression previous = null;
        for (double l2 : penalties) {
            LogisticRegression lr = LogisticRegression.fit(xTrain, f, train.classLabels(), classes, l2, settings.maxIterations(), previous);
            previous = lr;
            KmerLogisticRegression fitted = new KmerLogisticRegression(kf, mean, scale, lr, classes);
            TaskScores devScores = TaskScores.classification(dev.classLabels(), lr.probabilities(xDev), classes);
            if (bestDev == null || devScores.primary() > bestDev.primary()) {
                best = fitted;
                bestDev = devScores;
                bestL2 = l2;
            }
        }
        float[] testOutputs = best.probabilities(sequences(test));
        TaskScores testScores = TaskScores.classification(test.classLabels(), testOutputs, classes);
        return new Result(settings.k(), settings.bothStrands(), bestL2, bestDev, testScores, best.model.iterations(), (System.nanoTime() - start) / 1e9,
                testOutputs);
    }

    /** Class probabilities [n, classes] of the sequences. */
    public float[] probabilities(List<String> sequences) {
        return model.probabilities(standardise(features.matrix(sequences), features.size(), mean, scale));
    }

    /** Scores on a labelled set. */
    public TaskScores score(LabelledDataset data) {
        return TaskScores.classification(data.classLabels(), probabilities(sequences(data)), classes);
    }

    private static List<String> sequences(LabelledDataset d) {
        List<String> s = new ArrayList<>(d.size());
        for (LabelledDataset.Row r : d.rows()) s.add(r.sequence());
        return s;
    }

    /**
     * Per-feature mean and 1/σ (population σ; 1 for a constant feature) of rows [n, f]. Not
     * {@link dev.strand.genomics.ml.Standardiser}: float moments and σ² = E[x²] − mean², the
     * arithmetic behind every baseline score reported so far, kept so those scores reproduce.
     */
    private static void standardisation(float[] x, int f, float[] mean, float[] scale) {
        int n = x.length / f;
        double[] sum = new double[f], sq = new double[f];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                double v = x[i * f + j];
                sum[j] += v;
                sq[j] += v * v;
            }
        }
        for (int j = 0; j < f; j++) {
            double m = sum[j] / n, var = Math.max(0, sq[j] / n - m * m);
            mean[j] = (float) m;
            scale[j] = var > 1e-20 ? (float) (1 / Math.sqrt(var)) : 1f;
        }
    }

    private static float[] standardise(float[] x, int f, float[] mean, float[] scale) {
        for (int i = 0; i < x.length; i++) x[i] = (x[i] - mean[i % f]) * scale[i % f];
        return x;
    }
}

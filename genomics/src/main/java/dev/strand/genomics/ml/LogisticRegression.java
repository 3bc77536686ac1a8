package dev.strand.genomics.ml;

/**
 * Multinomial logistic regression with an L2 penalty on the weights (not the biases), fitted by
 * {@link Lbfgs} from zero weights (or an earlier fit's), so fitting is deterministic.
 *
 * <p>Objective: (1/n) Σᵢ −log softmax(xᵢ·W + b)[yᵢ] + (λ/2)·‖W‖², with W [features, classes] and
 * b [classes]. Its gradient: (1/n) Xᵀ(P − Y) + λW for W and (1/n) Σᵢ (pᵢ − yᵢ) for b, where P holds
 * the softmax probabilities and Y the one-hot labels.
 */
public final class LogisticRegression {
    private final int features, classes;
    private final double[] weights;   // [features, classes] row-major
    private final double[] bias;      // [classes]
    private final int iterations;

    private LogisticRegression(int features, int classes, double[] theta, int iterations) {
        this.features = features;
        this.classes = classes;
        this.weights = java.util.Arrays.copyOf(theta, features * classes);
        this.bias = java.util.Arrays.copyOfRange(theta, features * classes, theta.length);
        this.iterations = iterations;
    }

    /**
     * Fits rows {@code x} [n, features] (row-major) with labels in [0, classes).
     *
     * @param l2            λ, the weight penalty (≥ 0)
     * @param maxIterations L-BFGS iterations at most
     */
    public static LogisticRegression fit(float[] x, int features, int[] labels, int classes, double l2, int maxIterations) {
        return fit(x, features, labels, classes, l2, maxIterations, null);
    }

    /** As {@link #fit(float[], int, int[], int, double, int)}, starting from an earlier fit's parameters (null: zeros). */
    public static LogisticRegression fit(float[] x, int features, int[] labels, int classes, double l2, int maxIterations, LogisticRegression start) {
        Objective objective = new Objective(x, features, labels, classes, l2);
        double[] theta0 = new double[features * classes + classes];
        if (start != null) {
            if (start.features != features || start.classes != classes) throw new IllegalArgumentException("a warm start needs the same features and classes");
            System.arraycopy(start.weights, 0, theta0, 0, start.weights.length);
            System.arraycopy(start.bias, 0, theta0, start.weights.length, classes);
        }
        Lbfgs.Result r = Lbfgs.minimize(objective, theta0, maxIterations, 1e-6, 10);
        return new LogisticRegression(features, classes, r.x(), r.iterations());
    }

    /** Class probabilities [n, classes] (row-major) of rows {@code x} [n, features]. */
    public float[] probabilities(float[] x) {
        if (x.length % features != 0) throw new IllegalArgumentException(x.length + " values are not rows of " + features + " features");
        int n = x.length / features;
        float[] out = new float[n * classes];
        double[] z = new double[classes];
        for (int i = 0; i < n; i++) {
            logits(x, i, weights, bias, z);
            softmaxInPlace(z);
            for (int c = 0; c < classes; c++) out[i * classes + c] = (float) z[c];
        }
        return out;
    }

    /** L-BFGS iterations the fit took. */
    public int iterations() {
        return iterations;
    }

    /** The weight of feature {@code f} for class {@code c}. */
    public double weight(int f, int c) {
        return weights[f * classes + c];
    }

    public double bias(int c) {
        return bias[c];
    }

    /**
     * This classifier, fitted on inputs standardised by {@code z}, as one on raw inputs:
     * w·(x − mean)/sd + b = (w/sd)·x + (b − Σ w·mean/sd). Writes the weights [classes, features]
     * (row-major, as a linear layer holds them) into {@code weightsOut} and the biases [classes]
     * into {@code biasOut}.
     */
    public void unstandardised(Standardiser z, float[] weightsOut, float[] biasOut) {
        if (z.features() != features) throw new IllegalArgumentException("a standardiser of " + z.features() + " features for a fit on " + features);
        for (int c = 0; c < classes; c++) {
            double b = bias(c);
            for (int f = 0; f < features; f++) {
                double wf = weight(f, c) / z.sd(f);
                weightsOut[c * features + f] = (float) wf;
                b -= wf * z.mean(f);
            }
            biasOut[c] = (float) b;
        }
    }

    private void logits(float[] x, int row, double[] w, double[] b, double[] z) {
        logits(x, row, features, classes, w, 0, b, 0, z);
    }

    /** z = x[row]·W + b for parameters stored at offsets of arrays (weights then biases). */
    static void logits(float[] x, int row, int features, int classes, double[] w, int wOff, double[] b, int bOff, double[] z) {
        for (int c = 0; c < classes; c++) z[c] = b[bOff + c];
        int base = row * features;
        for (int f = 0; f < features; f++) {
            double v = x[base + f];
            if (v == 0) continue;
            int at = wOff + f * classes;
            for (int c = 0; c < classes; c++) z[c] += v * w[at + c];
        }
    }

    static void softmaxInPlace(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) max = Math.max(max, v);
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < z.length; c++) z[c] /= sum;
    }

    /** The penalised mean cross-entropy over θ = (W row-major, then b), and its gradient. */
    static final class Objective implements Lbfgs.Objective {
        private final float[] x;
        private final int features, classes, n;
        private final int[] labels;
        private final double l2;

        Objective(float[] x, int features, int[] labels, int classes, double l2) {
            if (features < 1 || x.length != labels.length * features) {
                throw new IllegalArgumentException(x.length + " feature values do not form " + labels.length + " rows of " + features);
            }
            if (labels.length == 0) throw new IllegalArgumentException("no rows to fit");
            if (!(l2 >= 0)) throw new IllegalArgumentException("L2 penalty must be non-negative, got " + l2);
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] < 0 || labels[i] >= classes) throw new IllegalArgumentException("row " + i + ": label " + labels[i] + " outside classes 0.." + (classes - 1));
            }
            this.x = x;
            this.features = features;
            this.classes = classes;
            this.labels = labels;
            this.n = labels.length;
            this.l2 = l2;
        }

        @Override
        public double valueAndGradient(double[] theta, double[] gradient) {
            int wSize = features * classes;
            java.util.Arrays.fill(gradient, 0);
            double loss = 0;
            double[] z = new double[classes];
            for (int i = 0; i < n; i++) {
                logits(x, i, features, classes, theta, 0, theta, wSize, z);
                double max = Double.NEGATIVE_INFINITY;
                for (double v : z) max = Math.max(max, v);
                double sum = 0;
                for (int c = 0; c < classes; c++) sum += Math.exp(z[c] - max);
                loss += max + Math.log(sum) - z[labels[i]];                       // −log p_y
                for (int c = 0; c < classes; c++) z[c] = Math.exp(z[c] - max) / sum - (c == labels[i] ? 1 : 0);   // p − y
                for (int c = 0; c < classes; c++) gradient[wSize + c] += z[c] / n;
                int base = i * features;
                for (int f = 0; f < features; f++) {
                    double v = x[base + f];
                    if (v == 0) continue;
                    int at = f * classes;
                    for (int c = 0; c < classes; c++) gradient[at + c] += v * z[c] / n;
                }
            }
            double penalty = 0;
            for (int k = 0; k < wSize; k++) {
                penalty += theta[k] * theta[k];
                gradient[k] += l2 * theta[k];
            }
            return loss / n + 0.5 * l2 * penalty;
        }
    }
}

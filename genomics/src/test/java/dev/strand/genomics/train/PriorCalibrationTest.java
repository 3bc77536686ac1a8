package dev.strand.genomics.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.Variable;
import dev.strand.genomics.metrics.TaskScores;
import dev.strand.nn.Linear;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Re-centring a classifier's logits: the offsets minimise cross-entropy, fix a shifted margin, and fold into a bias. */
class PriorCalibrationTest {
    private static final int N = 400, K = 3;

    /** An informative ranking whose logit margins are all shifted by +3 towards class 1. */
    @Test
    void aShiftedBinaryClassifierIsRecentredWithoutChangingItsRanking() {
        Random r = new Random(5);
        int[] labels = new int[N];
        float[] p = new float[N * 2];
        for (int i = 0; i < N; i++) {
            labels[i] = r.nextInt(2);
            double margin = (labels[i] == 1 ? 1 : -1) + r.nextGaussian() + 3;                   // shifted by +3
            p[i * 2 + 1] = (float) (1 / (1 + Math.exp(-margin)));
            p[i * 2] = 1 - p[i * 2 + 1];
        }
        TaskScores before = TaskScores.classification(labels, p, 2);
        float[] delta = PriorCalibration.fit(p, labels, 2);
        TaskScores after = TaskScores.classification(labels, PriorCalibration.apply(p, delta), 2);
        assertTrue(before.get("accuracy") < 0.6, "every row leans to class 1: " + before);
        assertTrue(after.get("accuracy") > 0.75, "re-centred, the margin ±1 + noise separates: " + after);
        assertEquals(before.get("auroc"), after.get("auroc"), 1e-9, "a common shift keeps the ranking");
        assertEquals(-3, delta[1] - delta[0], 0.5, "the offset undoes the shift");
    }

    @Test
    void theOffsetsMinimiseCrossEntropyAndMatchClassFrequencies() {
        Random r = new Random(9);
        int[] labels = new int[N];
        float[] p = randomProbabilities(r, labels);
        float[] delta = PriorCalibration.fit(p, labels, K);
        float[] q = PriorCalibration.apply(p, delta);
        for (int k = 0; k < K; k++) {
            double mean = 0, freq = 0;
            for (int i = 0; i < N; i++) {
                mean += q[i * K + k] / N;
                if (labels[i] == k) freq++;
            }
            assertEquals((freq + 0.5) / (N + 0.5 * K), mean, 1e-5, "class " + k);
        }
        // Finite differences: no move of any offset lowers the cross-entropy (the half-row smoothing
        // moves the optimum by about 1e-3, far less than the curvature over these steps).
        double at = crossEntropy(p, labels, delta);
        for (int k = 0; k < K; k++) {
            for (float h : new float[] {-0.05f, 0.05f}) {
                float[] moved = delta.clone();
                moved[k] += h;
                assertTrue(crossEntropy(p, labels, moved) > at, "offset " + k + " moved by " + h);
            }
        }
    }

    @Test
    void aClassMissingFromTheSetStillGetsAFiniteOffset() {
        int[] labels = {0, 0, 1, 1, 0};
        float[] p = {0.5f, 0.3f, 0.2f, 0.4f, 0.4f, 0.2f, 0.1f, 0.8f, 0.1f, 0.3f, 0.3f, 0.4f, 0.6f, 0.2f, 0.2f};
        float[] delta = PriorCalibration.fit(p, labels, K);
        for (float d : delta) assertTrue(Float.isFinite(d), Arrays.toString(delta));
        assertTrue(delta[2] < delta[0] && delta[2] < delta[1], "class 2, never seen, is pushed down: " + Arrays.toString(delta));
    }

    @Test
    void foldingTheOffsetsIntoTheBiasGivesTheCalibratedProbabilities() {
        Generator gen = new Generator(3);
        Linear out = new Linear(4, K, true, gen);
        Tensor x = Tensor.randn(gen, 6, 4);                                                     // [6, 4]
        float[] p = out.forward(Variable.constant(x)).data().softmax(1).toFloatArray();        // [6, K]
        float[] delta = {0.7f, -1.2f, 0.3f};
        float[] expected = PriorCalibration.apply(p, delta);
        PriorCalibration.foldInto(out, delta);
        float[] folded = out.forward(Variable.constant(x)).data().softmax(1).toFloatArray();
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], folded[i], 1e-6, "entry " + i);
    }

    private static float[] randomProbabilities(Random r, int[] labels) {
        float[] p = new float[N * K];
        for (int i = 0; i < N; i++) {
            labels[i] = r.nextInt(K);
            double[] logit = new double[K];
            double sum = 0;
            for (int k = 0; k < K; k++) {
                logit[k] = r.nextGaussian() + (k == labels[i] ? 1 : 0) + (k == 2 ? 2 : 0);        // class 2 favoured
                sum += Math.exp(logit[k]);
            }
            for (int k = 0; k < K; k++) p[i * K + k] = (float) (Math.exp(logit[k]) / sum);
        }
        return p;
    }

    /** Mean cross-entropy of the shifted probabilities. */
    private static double crossEntropy(float[] p, int[] labels, float[] delta) {
        float[] q = PriorCalibration.apply(p, delta);
        double ce = 0;
        for (int i = 0; i < N; i++) ce -= Math.log(q[i * K + labels[i]]) / N;
        return ce;
    }
}

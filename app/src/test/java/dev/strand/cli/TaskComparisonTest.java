package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.metrics.TaskScores;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TaskComparisonTest {
    private static final int N = 400;

    /** Probabilities [N, 2] that call the right class for a share {@code right} of the rows. */
    private static float[] outputs(int[] labels, double right, long seed) {
        Random rng = new Random(seed);
        float[] p = new float[2 * N];
        for (int i = 0; i < N; i++) {
            int called = rng.nextDouble() < right ? labels[i] : 1 - labels[i];
            float confidence = 0.55f + 0.4f * rng.nextFloat();
            p[2 * i + called] = confidence;
            p[2 * i + 1 - called] = 1 - confidence;
        }
        return p;
    }

    private static TaskComparison.Arm arm(String label, int[] labels, double devMcc, double right, long seed) {
        float[] out = outputs(labels, right, seed);
        TaskScores dev = new TaskScores(TaskScores.CLASSIFICATION, 100, Map.of("mcc", devMcc));
        return new TaskComparison.Arm(label, dev, TaskScores.classification(labels, out, 2), out);
    }

    @Test
    void theBestArmIsPickedOnDevAndTheVerdictsFollowTheIntervals() {
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) labels[i] = i % 2;
        // "tuned" is best on dev but not on test; "lucky" is best on test but not on dev
        TaskComparison.Arm tuned = arm("tuned", labels, 0.6, 0.9, 1), lucky = arm("lucky", labels, 0.2, 0.95, 2),
                scratch = arm("scratch", labels, 0.1, 0.6, 3), kmers = arm("4-mer regression", labels, 0.3, 0.6, 4);
        List<String> lines = new TaskComparison("task", labels, 2, 1000, 7).summary(List.of(tuned, lucky, scratch), kmers, tuned, scratch);
        String text = String.join("\n", lines);
        assertTrue(text.startsWith("task, test set of 400"), text);
        assertTrue(text.contains("best on dev (tuned) against the 4-mer regression: +0.") && text.contains(": beats k-mer counting"), text);
        assertTrue(text.contains("tuned against scratch: +0.") && text.contains(": pretraining helps"), text);

        // reversed, the verdicts say so
        lines = new TaskComparison("task", labels, 2, 1000, 7).summary(List.of(scratch), tuned, scratch, tuned);
        text = String.join("\n", lines);
        assertTrue(text.contains(": does NOT beat k-mer counting") && text.contains(": pretraining does NOT help here"), text);
    }
}

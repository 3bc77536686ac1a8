package dev.strand.genomics.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskScoresTest {
    @Test
    void binaryScoresByHand() {
        // labels 1 1 0 0, P(1) = .9 .4 .6 .1 → predictions 1 0 1 0: TP 1, FN 1, FP 1, TN 1
        int[] labels = {1, 1, 0, 0};
        float[] p = {0.1f, 0.9f, 0.6f, 0.4f, 0.4f, 0.6f, 0.9f, 0.1f};
        TaskScores s = TaskScores.classification(labels, p, 2);
        assertEquals(List.of("accuracy", "f1", "f1_positive", "mcc", "auroc"), List.copyOf(s.values().keySet()));
        assertEquals(0.5, s.get("accuracy"));
        assertEquals(0.5, s.get("f1_positive"));
        assertEquals(0.0, s.get("mcc"), 1e-12);
        assertEquals(0.75, s.get("auroc"), 1e-12);   // 3 of the 4 positive-negative pairs are ordered right
        assertEquals("mcc", s.primaryName());
        assertEquals(4, s.n());
    }

    @Test
    void multiclassAurocIsTheMeanOneVsRest() {
        int[] labels = {0, 1, 2};
        float[] p = {0.8f, 0.1f, 0.1f, 0.1f, 0.8f, 0.1f, 0.1f, 0.1f, 0.8f};
        TaskScores s = TaskScores.classification(labels, p, 3);
        assertEquals(1.0, s.get("auroc"));
        assertEquals(1.0, s.get("mcc"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> s.get("pearson"));
    }

    @Test
    void regressionScoresByHand() {
        float[] y = {1, 2, 3, 4}, p = {1, 2, 3, 5};
        TaskScores s = TaskScores.regression(y, p, 1);
        assertEquals(0.25, s.get("mse"), 1e-12);
        assertEquals(1.0, s.get("spearman"), 1e-12);
        assertEquals(Correlation.pearson(p, y), s.primary(), 1e-12);
        assertEquals("pearson", s.primaryName());
    }
}

package dev.strand.genomics.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.RandomDna;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.metrics.TaskScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KmerLogisticRegressionTest {
    /** Class 0: uniform DNA; class 1: CpG-rich (a third of the sequence is CG repeats); class 2: only A and T. */
    private static LabelledDataset planted(String name, int rows, long seed) {
        Random rng = new Random(seed);
        List<String> seqs = new ArrayList<>();
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % 3;
            String s = switch (labels[i]) {
                case 0 -> RandomDna.random(90, rng);
                case 1 -> RandomDna.random(30, rng) + "CG".repeat(15) + RandomDna.random(30, rng);
                default -> RandomDna.random(90, "AT", rng);
            };
            seqs.add(s);
        }
        return LabelledDataset.classification(name, seqs, labels);
    }

    @Test
    void separatesPlantedCompositionAndChoosesAPenaltyOnDev() {
        KmerLogisticRegression.Result r = KmerLogisticRegression.run(planted("train", 300, 1), planted("dev", 60, 2), planted("test", 150, 3), 3,
                KmerLogisticRegression.Settings.defaults().withK(3));
        assertEquals(1.0, r.test().get("accuracy"), "test " + r.test());
        assertEquals(1.0, r.test().get("mcc"), 1e-12);
        assertTrue(KmerLogisticRegression.Settings.defaults().l2().contains(r.l2()));
        assertEquals(150, r.test().n());
        assertEquals(150 * 3, r.testOutputs().length, "class probabilities of every test row");
        assertEquals(r.test(), TaskScores.classification(planted("test", 150, 3).classLabels(), r.testOutputs(), 3), "they give the test scores");

        KmerLogisticRegression.Result again = KmerLogisticRegression.run(planted("train", 300, 1), planted("dev", 60, 2), planted("test", 150, 3), 3,
                KmerLogisticRegression.Settings.defaults().withK(3));
        assertEquals(r.test(), again.test(), "deterministic");
    }

    @Test
    void regressionIsRejected() {
        LabelledDataset reg = LabelledDataset.of("r", LabelledDataset.Task.REGRESSION, List.of("y"),
                List.of(new LabelledDataset.Row("ACGT", new float[] {1}, 0), new LabelledDataset.Row("AAAA", new float[] {0}, 0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KmerLogisticRegression.run(reg, reg, reg, 1, KmerLogisticRegression.Settings.defaults()));
        assertTrue(e.getMessage().contains("is for classification"), e.getMessage());
    }
}

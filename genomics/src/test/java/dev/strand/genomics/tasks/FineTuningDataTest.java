package dev.strand.genomics.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.genomics.data.LabelledDataset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FineTuningDataTest {
    private static LabelledDataset rows(String source, int n, int classes) {
        List<String> seqs = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            seqs.add("ACGT".repeat(1 + i % 3));
            labels[i] = i % classes;
        }
        return LabelledDataset.classification(source, seqs, labels);
    }

    @Test
    void anEmptyDevSetIsCutFromTrain() {
        LabelledDataset train = rows("train", 100, 3), empty = rows("dev", 0, 3), test = rows("test", 20, 2);
        FineTuningData d = FineTuningData.of("t", new LabelledDataset.Splits(train, empty, test), 5);
        assertEquals(Math.round(100 * FineTuningData.DEFAULT_DEV_FRACTION), d.dev().size());
        assertEquals(100, d.train().size() + d.dev().size());
        assertEquals(List.of("0", "1", "2"), d.labels(), "classes named by their ids, as many as any part has");
        assertEquals(LabelledDataset.Task.CLASSIFICATION, d.task());
    }

    @Test
    void everyPartNeedsRowsAndClassificationTwoClasses() {
        LabelledDataset some = rows("x", 10, 2);
        assertThrows(IllegalArgumentException.class, () -> new FineTuningData("t", some, rows("dev", 0, 2), some, List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> new FineTuningData("t", some, some, some, List.of("a")));
    }
}

package dev.strand.genomics.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.io.Bases;
import dev.strand.genomics.tokenize.NucleotideTokenizer;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.nn.train.Batch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Labelled rows drawn shard by shard: striped shards, every row once per epoch of its shard, and a pure function of (step, shard). */
class LabelledShardsTest {
    /** 23 rows, sorted by label as files often are; row i reads "ACGT…" varied by i. */
    private static List<LabelledDataset.Row> rows() {
        List<LabelledDataset.Row> out = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            StringBuilder s = new StringBuilder();
            for (int j = 0; j < 12; j++) s.append("ACGT".charAt((i >> (j % 5)) & 3));
            out.add(new LabelledDataset.Row(s.toString() + "AA", new float[] {i < 12 ? 0 : 1}, i + 2));
        }
        return out;
    }

    private static LabelledShards shards(int batch, int count, boolean rc) {
        return new LabelledShards(rows(), LabelledDataset.Task.CLASSIFICATION, List.of("label"), Tokenizers.toJson(new NucleotideTokenizer()),
                LabelledDataset.Batching.longest(), batch, count, 7, rc);
    }

    @Test
    void eachShardReadsEveryOneOfItsStripedRowsOncePerEpoch() {
        LabelledShards data = shards(6, 3, false);
        for (int s = 0; s < 3; s++) {
            int own = (23 - s + 2) / 3;                       // rows s, s+3, s+6, …
            List<Integer> lines = new ArrayList<>();
            for (long step = 0; lines.size() < own; step++) for (LabelledDataset.Row r : data.shardRows(step, s)) lines.add(r.line());
            Set<Integer> epoch = new HashSet<>(lines.subList(0, own));
            assertEquals(own, epoch.size(), "shard " + s + "'s first epoch holds each of its rows once: " + lines);
            for (int line : epoch) assertEquals(s, (line - 2) % 3, "row on line " + line + " belongs to shard " + (line - 2) % 3);
        }
        Set<Float> labels = new HashSet<>();
        for (LabelledDataset.Row r : data.shardRows(0, 0)) labels.add(r.labels()[0]);
        for (long step = 1; step < 4; step++) for (LabelledDataset.Row r : data.shardRows(step, 0)) labels.add(r.labels()[0]);
        assertEquals(Set.of(0f, 1f), labels, "striping gives a shard both labels of a sorted file");
    }

    @Test
    void aStepsShardsArePureFunctionsAndAddUpToItsBatch() {
        LabelledShards data = shards(6, 3, true);
        Batch whole = data.draw(5, 0, 3);
        assertEquals(6, whole.rows());
        int[] ids = whole.get("input_ids").toIntArray(), again = shards(6, 3, true).draw(5, 0, 3).get("input_ids").toIntArray();
        assertEquals(java.util.Arrays.toString(ids), java.util.Arrays.toString(again), "another copy of the data draws the same rows");
        List<String> parts = new ArrayList<>();
        for (int s = 0; s < 3; s++) for (LabelledDataset.Row r : data.shardRows(5, s)) parts.add(r.sequence());
        assertEquals(6, parts.size());
        assertNotEquals(data.shardRows(5, 0), data.shardRows(6, 0));
        Set<String> forward = new HashSet<>();
        for (LabelledDataset.Row r : rows()) forward.add(r.sequence());
        int reversed = 0, read = 0;
        for (long step = 0; step < 8; step++) {
            for (LabelledDataset.Row r : data.shardRows(step, 1)) {
                read++;
                if (!forward.contains(r.sequence())) {
                    reversed++;
                    assertTrue(forward.contains(Bases.reverseComplement(r.sequence())), "a row read from the other strand: " + r.sequence());
                }
            }
        }
        assertTrue(reversed > 0 && reversed < read, "with augmentation some rows, not all, are read from the other strand: " + reversed + " of " + read);
        for (long step = 0; step < 8; step++) {
            for (LabelledDataset.Row r : shards(6, 3, false).shardRows(step, 1)) assertTrue(forward.contains(r.sequence()), "without it, none");
        }
    }

    @Test
    void tooFewRowsForTheShardsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shards(2, 3, false));
        assertTrue(e.getMessage().contains("a batch of 2 rows cannot be cut into 3 data shards"), e.getMessage());
    }
}

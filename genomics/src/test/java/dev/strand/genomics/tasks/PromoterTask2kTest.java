package dev.strand.genomics.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.data.TestDoubleInMemoryGenome;
import dev.strand.tensor.Generator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 2-kb promoter task ({@link PromoterTask.Config#defaults2k}) on the planted genome of {@link PromoterTaskTest}. */
class PromoterTask2kTest {
    private static final int BLOCK = 50_000;

    private static PromoterTask.Config config(long seed) {
        return PromoterTask.Config.defaults2k(seed).withBlockSize(BLOCK);
    }

    @Test
    void wholeRecordsAgainstWindowsFarFromAnyTss() {
        PromoterTaskTest.Planted p = new PromoterTaskTest.Planted(1);
        TaskData d = PromoterTask.build(p.genome, p.records, config(7));
        System.out.println(d.summary());
        assertEquals("promoter-2k", d.name());
        assertEquals((long) p.tss.size(), d.counts().get("positives"));
        assertEquals(1L, d.counts().get("devBlocks"));
        assertEquals(3L, d.counts().get("testBlocks"));

        Set<String> records = new HashSet<>();
        p.records.forEach(r -> records.add(r.sequence().toUpperCase()));
        int positives = 0;
        for (TaskRow r : all(d)) {
            assertEquals(2000, r.sequence().length());
            assertEquals(2000, r.end() - r.start());
            String fwd = p.genome.fetch(r.contig(), r.start(), r.end()).toUpperCase();
            assertEquals(r.strand() == '+' ? fwd : SequenceUtil.reverseComplement(fwd), r.sequence());
            if (r.label() == PromoterTask.POSITIVE) {
                positives++;
                assertTrue(records.contains(r.sequence()), "a positive is a whole upstream record");
                assertEquals("TATAAAAG", r.sequence().substring(1970, 1978), "planted TATA box 30 bp upstream of the TSS");
            } else {
                assertEquals("background", r.origin());
                assertEquals(r.start() / BLOCK, (r.end() - 1) / BLOCK, "a background window lies inside one block");
                for (int[] t : p.tss) {
                    if (!p.names[t[0]].equals(r.contig())) continue;
                    int dist = t[1] < r.start() ? r.start() - t[1] : t[1] > r.end() - 1 ? t[1] - (r.end() - 1) : 0;
                    assertTrue(dist > 3000, "background window " + r + " is " + dist + " from a TSS");
                }
            }
        }
        assertEquals(p.tss.size() - dropped(d, "dev") - dropped(d, "test"), positives);

        // balanced: as many negatives as positives per split (dev/test positives straddling into another split's block are dropped after)
        int[] tr = d.labelCounts(d.train()), dv = d.labelCounts(d.dev()), te = d.labelCounts(d.test());
        assertEquals(tr[0], tr[1]);
        assertEquals(dv[0], dv[1] + dropped(d, "dev"));
        assertEquals(te[0], te[1] + dropped(d, "test"));
        assertTrue(dv[1] > 0 && te[1] > 0 && tr[1] > te[1]);

        // background windows do not overlap each other
        List<TaskRow> negatives = new ArrayList<>(all(d).stream().filter(r -> r.label() == PromoterTask.NEGATIVE).toList());
        negatives.sort(Comparator.comparing(TaskRow::contig).thenComparingInt(TaskRow::start));
        for (int i = 1; i < negatives.size(); i++) assertFalse(negatives.get(i - 1).overlaps(negatives.get(i)), negatives.get(i) + " overlaps");
    }

    @Test
    void splitsShareNoBlockAndNoBases() {
        PromoterTaskTest.Planted p = new PromoterTaskTest.Planted(2);
        TaskData d = PromoterTask.build(p.genome, p.records, config(3));
        Map<String, String> partOfBlock = new HashMap<>();
        Map<String, List<TaskRow>> parts = Map.of("train", d.train(), "dev", d.dev(), "test", d.test());
        parts.forEach((part, rows) -> {
            for (TaskRow r : rows) {
                String other = partOfBlock.putIfAbsent(r.contig() + ":" + r.start() / BLOCK, part);
                assertTrue(other == null || other.equals(part), "block of " + r + " is in " + part + " and " + other);
            }
        });
        List<List<TaskRow>> splits = List.of(d.train(), d.dev(), d.test());
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                for (TaskRow a : splits.get(i)) for (TaskRow b : splits.get(j)) assertFalse(a.overlaps(b), a + " overlaps " + b);
            }
        }
    }

    @Test
    void deterministicFromTheSeedAndTheDevSplitIsKept(@TempDir Path dir) throws Exception {
        PromoterTaskTest.Planted p = new PromoterTaskTest.Planted(1);
        TaskData d = PromoterTask.build(p.genome, p.records, config(5));
        TaskData again = PromoterTask.build(p.genome, p.records, config(5));
        assertEquals(d.train(), again.train());
        assertEquals(d.dev(), again.dev());
        assertEquals(d.test(), again.test());
        assertNotEquals(d.train(), PromoterTask.build(p.genome, p.records, config(6)).train());

        FineTuningData f = FineTuningData.of(d, FineTuningData.DEFAULT_DEV_FRACTION, 99);
        assertEquals(d.train().size(), f.train().size(), "no dev rows are cut from train when the task has its own");
        assertEquals(d.dev().size(), f.dev().size());
        assertEquals(d.test().size(), f.test().size());
        assertEquals(List.of("non-promoter", "promoter"), f.labels());

        d.writeCsv(dir);
        assertEquals(d.dev().size() + 1, Files.readAllLines(dir.resolve("dev.csv")).size(), "dev.csv: a header and the dev rows");
    }

    @Test
    void sharesItsTestBlocksWithThe300BpTask() {
        TestDoubleInMemoryGenome g = new PromoterTaskTest.Planted(1).genome;
        BlockSplit withDev = new BlockSplit(g, BLOCK, 0.2, 0.1, new Generator(4));
        BlockSplit without = new BlockSplit(g, BLOCK, 0.2, 0, new Generator(4));
        assertEquals(without.blocks(BlockSplit.Part.TEST), withDev.blocks(BlockSplit.Part.TEST));
        assertEquals(List.of(), without.blocks(BlockSplit.Part.DEV));
        Set<BlockSplit.Block> trainAndDev = new HashSet<>(withDev.blocks(BlockSplit.Part.TRAIN));
        trainAndDev.addAll(withDev.blocks(BlockSplit.Part.DEV));
        assertEquals(new HashSet<>(without.blocks(BlockSplit.Part.TRAIN)), trainAndDev);
        assertEquals(14, withDev.blockCount());
        assertEquals(1, withDev.blockCount(BlockSplit.Part.DEV));
    }

    @Test
    void tooLittleFreeDnaThinsThePositives() {
        // 20 kb from any TSS: the planted genome keeps only a few free 2-kb windows
        PromoterTaskTest.Planted p = new PromoterTaskTest.Planted(1);
        TaskData d = PromoterTask.build(p.genome, p.records, config(7).withMinTssDistance(20_000));
        System.out.println(d.summary());
        assertTrue(d.counts().getOrDefault("positivesDroppedForBalance", 0L) > 0, d.counts().toString());
        int[] tr = d.labelCounts(d.train());
        assertEquals(tr[0], tr[1]);
    }

    private static List<TaskRow> all(TaskData d) {
        List<TaskRow> all = new ArrayList<>(d.train());
        all.addAll(d.dev());
        all.addAll(d.test());
        return all;
    }

    private static int dropped(TaskData d, String part) {
        return (int) (d.counts().getOrDefault(part + "RowsDroppedForOverlap", 0L) + d.counts().getOrDefault(part + "RowsDroppedAsTrainDuplicate", 0L));
    }
}

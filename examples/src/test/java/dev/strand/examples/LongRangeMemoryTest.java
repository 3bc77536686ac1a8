package dev.strand.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.Generator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The long-range memory example's data: the label's motif lies in the first segment and nowhere a
 * reader of the last segment alone could see it. (Training both models takes minutes, so the
 * example itself is a documented command whose output the README shows.)
 */
class LongRangeMemoryTest {
    private static final int C = LongRangeMemory.CHUNK;

    @Test
    void theMotifIsInTheFirstSegmentAndTheLabelSaysWhichItIs() {
        LongRangeMemory.Batch b = LongRangeMemory.Batch.random(200, 4, true, new Generator(3));
        int width = b.ids().size(1);
        assertEquals(4 * C + 2, width);
        int[] ids = b.ids().toIntArray(), labels = b.labels().toIntArray(), pad = b.padding().toIntArray();
        int ones = 0;
        for (int r = 0; r < 200; r++) {
            int[] row = Arrays.copyOfRange(ids, r * width, (r + 1) * width);
            assertEquals(LongRangeMemory.CLS, row[0]);
            assertEquals(LongRangeMemory.SEP, row[width - 1]);
            assertEquals(0, Arrays.stream(pad, r * width, (r + 1) * width).sum(), "test rows are four full segments");
            int[] motif = LongRangeMemory.MOTIFS[labels[r]];
            assertTrue(indexOf(Arrays.copyOfRange(row, 1, 1 + C), motif) >= 0, "row " + r + ": its motif is in the first segment");
            ones += labels[r];
        }
        assertTrue(ones > 70 && ones < 130, "labels are balanced: " + ones + " of 200");
    }

    @Test
    void trainingRowsHaveOneToTheLongestSegmentsPaddedAtTheEnd() {
        LongRangeMemory.Batch b = LongRangeMemory.Batch.random(100, 3, false, new Generator(4));
        int width = b.ids().size(1);
        int[] pad = b.padding().toIntArray();
        boolean[] seen = new boolean[4];
        for (int r = 0; r < 100; r++) {
            int real = width - Arrays.stream(pad, r * width, (r + 1) * width).sum();
            assertEquals(0, (real - 2) % C, "whole segments");
            seen[(real - 2) / C] = true;
            assertArrayEquals(new int[] {LongRangeMemory.SEP}, new int[] {b.ids().toIntArray()[r * width + real - 1]});
        }
        assertTrue(seen[1] && seen[2] && seen[3] && !seen[0], "one, two and three segments");
    }

    private static int indexOf(int[] row, int[] motif) {
        for (int i = 0; i + motif.length <= row.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(row, i, i + motif.length), motif)) return i;
        }
        return -1;
    }
}

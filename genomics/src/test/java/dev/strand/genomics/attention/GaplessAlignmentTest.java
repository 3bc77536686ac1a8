package dev.strand.genomics.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Best ungapped overlap: shifts either way, overhanging ends, mismatches inside an overlap, no match at all. */
class GaplessAlignmentTest {
    @Test
    void findsTheBestShift() {
        assertEquals(new GaplessAlignment(8, 0), GaplessAlignment.align("TATAAAAG", "tataaaag"));
        assertEquals(new GaplessAlignment(7, 1), GaplessAlignment.align("TATAAAAG", "ATAAAAGC"));   // b starts one base into a
        assertEquals(new GaplessAlignment(7, -1), GaplessAlignment.align("ATAAAAGC", "TATAAAAG"));
        assertEquals(new GaplessAlignment(8, 0), GaplessAlignment.align("TATAAAAG", "TATAAAAGC"));  // b overhangs the end
        assertEquals(new GaplessAlignment(6, 0), GaplessAlignment.align("ACGTACGT", "ACGTTCGA"));   // the 2 mismatches inside count 0
        assertEquals(new GaplessAlignment(0, -4), GaplessAlignment.align("AAAAA", "CCCCC"));
    }
}

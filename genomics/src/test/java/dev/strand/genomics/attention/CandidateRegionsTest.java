package dev.strand.genomics.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.genomics.attention.CandidateRegions.Region;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The region rules on edge cases: run lengths at the limit, ties with the mean and with 10 × the minimum, runs at the ends. */
class CandidateRegionsTest {
    private static float[] background(int n) {
        float[] s = new float[n];
        Arrays.fill(s, 0.1f);
        return s;
    }

    @Test
    void aRunOfFiveCountsAndARunOfFourDoesNot() {
        float[] s = background(30);
        Arrays.fill(s, 3, 7, 5f);      // 4 high bases
        Arrays.fill(s, 12, 17, 5f);    // 5 high bases
        assertEquals(List.of(new Region(12, 17)), CandidateRegions.find(s, 5, 10));
        assertEquals(List.of(new Region(3, 7), new Region(12, 17)), CandidateRegions.find(s, 4, 10));
    }

    @Test
    void runsTouchingEitherEndAreFound() {
        float[] s = background(20);
        Arrays.fill(s, 0, 5, 5f);
        Arrays.fill(s, 14, 20, 5f);
        assertEquals(List.of(new Region(0, 5), new Region(14, 20)), CandidateRegions.find(s, 5, 10));
    }

    @Test
    void aScoreEqualToTenTimesTheMinimumIsNotAbove() {
        float[] s = new float[210];
        Arrays.fill(s, 0.25f);         // minimum 0.25: the floor is exactly 2.5
        Arrays.fill(s, 10, 20, 20f);
        s[15] = 2.5f;                  // above the mean (about 1.1) but equal to the floor: splits the run into 5 + 4
        assertEquals(List.of(new Region(10, 15)), CandidateRegions.find(s, 5, 10));
        s[15] = 2.51f;
        assertEquals(List.of(new Region(10, 20)), CandidateRegions.find(s, 5, 10));
    }

    @Test
    void aScoreEqualToTheMeanIsNotAbove() {
        float[] flat = new float[12];
        Arrays.fill(flat, 2f);         // every score equals the mean
        assertEquals(List.of(), CandidateRegions.find(flat, 5, 0));
        // 6 × 11 and one 6 over 12 bases: the mean is exactly 6, so the 6 is not above it and splits the run
        float[] s = {0, 0, 0, 0, 0, 11, 11, 11, 6, 11, 11, 11};
        assertEquals(List.of(new Region(5, 8), new Region(9, 12)), CandidateRegions.find(s, 3, 10), "a zero minimum puts the floor at 0");
        assertEquals(List.of(), CandidateRegions.find(s, 5, 10));
        s[8] = 6.5f;                   // mean 6.04: now above it
        assertEquals(List.of(new Region(5, 12)), CandidateRegions.find(s, 5, 10));
    }
}

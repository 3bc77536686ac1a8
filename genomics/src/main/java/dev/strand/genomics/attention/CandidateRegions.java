package dev.strand.genomics.attention;

import java.util.ArrayList;
import java.util.List;

/**
 * DNABERT-viz's candidate motif regions: contiguous runs of at least {@code minLength} bases whose
 * score is strictly above the sequence's mean score and strictly above {@code timesMinimum} × its
 * minimum score.
 */
public final class CandidateRegions {
    private CandidateRegions() {}

    /** A run of bases [start, end), 0-based, end exclusive. */
    public record Region(int start, int end) {
        public Region {
            if (start < 0 || end <= start) throw new IllegalArgumentException("a region needs 0 <= start < end, got [" + start + ", " + end + ")");
        }

        public int length() {
            return end - start;
        }
    }

    /** The candidate regions of one score track, left to right. */
    public static List<Region> find(float[] scores, int minLength, double timesMinimum) {
        if (minLength < 1) throw new IllegalArgumentException("a region needs at least 1 base, got " + minLength);
        List<Region> out = new ArrayList<>();
        if (scores.length == 0) return out;
        double mean = 0, min = Double.POSITIVE_INFINITY;
        for (float s : scores) {
            mean += s;
            min = Math.min(min, s);
        }
        mean /= scores.length;
        double floor = timesMinimum * min;
        int runStart = -1;
        for (int i = 0; i <= scores.length; i++) {
            boolean high = i < scores.length && scores[i] > mean && scores[i] > floor;
            if (high && runStart < 0) runStart = i;
            if (!high && runStart >= 0) {
                if (i - runStart >= minLength) out.add(new Region(runStart, i));
                runStart = -1;
            }
        }
        return out;
    }
}

package dev.strand.genomics.baseline;

import dev.strand.genomics.io.Bases;
import java.util.List;

/**
 * Normalised k-mer counts of a DNA sequence: the frequency of each of the 4^k k-mers among its
 * overlapping k-mers (k-mers containing anything but A/C/G/T, any case, are not counted), so the
 * features of a sequence sum to 1 (0 when it has no countable k-mer). With {@code bothStrands}
 * each k-mer also counts for its reverse complement, so a sequence and its reverse complement get
 * the same features. Feature index = the k-mer read as a base-4 number of {@link Bases#code}s (A=0, C=1, G=2, T=3).
 */
public final class KmerFeatures {
    /** Largest k: 4^k features per row. */
    public static final int MAX_K = 8;

    private final int k;
    private final boolean bothStrands;

    public KmerFeatures(int k, boolean bothStrands) {
        if (k < 1 || k > MAX_K) throw new IllegalArgumentException("k-mer length must be in [1, " + MAX_K + "], got " + k);
        this.k = k;
        this.bothStrands = bothStrands;
    }

    public int k() {
        return k;
    }

    public boolean bothStrands() {
        return bothStrands;
    }

    /** Features per row: 4^k. */
    public int size() {
        return 1 << (2 * k);
    }

    /** The features of one sequence, written into {@code out} from {@code offset}. */
    public void features(String sequence, float[] out, int offset) {
        int size = size(), mask = size - 1, run = 0, code = 0, rc = 0;
        long total = 0;
        double[] counts = new double[size];
        for (int i = 0; i < sequence.length(); i++) {
            int b = Bases.code(sequence.charAt(i));
            if (b < 0) {
                run = 0;
                continue;
            }
            code = ((code << 2) | b) & mask;
            rc = (rc >>> 2) | ((3 - b) << (2 * (k - 1)));   // the reverse complement, grown from the left
            if (++run < k) continue;
            counts[code]++;
            total++;
            if (bothStrands) {
                counts[rc]++;
                total++;
            }
        }
        for (int f = 0; f < size; f++) out[offset + f] = total == 0 ? 0f : (float) (counts[f] / total);
    }

    /** Features of many sequences, row-major [n, 4^k]. */
    public float[] matrix(List<String> sequences) {
        float[] out = new float[sequences.size() * size()];
        for (int i = 0; i < sequences.size(); i++) features(sequences.get(i), out, i * size());
        return out;
    }
}

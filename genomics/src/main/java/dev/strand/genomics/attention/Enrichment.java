package dev.strand.genomics.attention;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.commons.math3.distribution.HypergeometricDistribution;

/** The statistics of motif enrichment: a one-sided hypergeometric test and Benjamini–Hochberg q-values. */
public final class Enrichment {
    private Enrichment() {}

    /**
     * P(X ≥ x) for X hypergeometric: drawing {@code drawn} sequences (those holding the motif) from
     * {@code population} sequences of which {@code successes} are positive, at least {@code x}
     * drawn ones are positive. This is DNABERT-viz's {@code hypergeom.sf(x − 1, N, K, n)}.
     */
    public static double hypergeometricUpperTail(int population, int successes, int drawn, int x) {
        if (x <= 0) return 1.0;
        if (x > Math.min(successes, drawn)) return 0.0;
        // null random generator: the distribution is only evaluated, never sampled
        return new HypergeometricDistribution(null, population, successes, drawn).upperCumulativeProbability(x);
    }

    /**
     * Benjamini–Hochberg adjusted p-values (q-values), in the order of {@code p}: with the p-values
     * sorted ascending, q(i) = min over j ≥ i of m · p(j) / j, capped at 1.
     */
    public static double[] benjaminiHochberg(double[] p) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> p[i]));
        double[] q = new double[m];
        double running = 1.0;
        for (int rank = m; rank >= 1; rank--) {
            int i = order[rank - 1];
            running = Math.min(running, p[i] * m / rank);
            q[i] = running;
        }
        return q;
    }
}

package dev.strand.genomics.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** The hypergeometric tail against the direct sum of binomials, and Benjamini–Hochberg against a hand computation. */
class EnrichmentTest {
    static BigInteger choose(int n, int k) {
        if (k < 0 || k > n) return BigInteger.ZERO;
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        return r;
    }

    /** P(X ≥ x) = Σ_{i ≥ x} C(K, i) C(N − K, n − i) / C(N, n), exactly. */
    static double direct(int population, int successes, int drawn, int x) {
        BigInteger sum = BigInteger.ZERO;
        for (int i = x; i <= Math.min(successes, drawn); i++) sum = sum.add(choose(successes, i).multiply(choose(population - successes, drawn - i)));
        return new BigDecimal(sum).divide(new BigDecimal(choose(population, drawn)), MathContext.DECIMAL128).doubleValue();
    }

    @Test
    void hypergeometricTailMatchesTheDirectFormula() {
        int[][] cases = {{40, 20, 20, 20}, {40, 20, 10, 10}, {30, 10, 12, 5}, {100, 30, 25, 10}, {100, 30, 25, 1}, {500, 250, 40, 30}, {12, 4, 6, 2}};
        for (int[] c : cases) {
            double expected = direct(c[0], c[1], c[2], c[3]);
            assertEquals(expected, Enrichment.hypergeometricUpperTail(c[0], c[1], c[2], c[3]), 1e-9 * expected, java.util.Arrays.toString(c));
        }
        assertEquals(1.0, Enrichment.hypergeometricUpperTail(40, 20, 10, 0));
        assertEquals(0.0, Enrichment.hypergeometricUpperTail(40, 20, 10, 11));
    }

    @Test
    void benjaminiHochbergMatchesAHandComputation() {
        // sorted: 0.01 (rank 1) → 4·0.01/1 = 0.04; 0.02 (2) → 0.04; 0.025 (3) → 0.0333; 0.5 (4) → 0.5;
        // then the running minimum from the top: 0.5, 0.0333, 0.0333, 0.0333
        double[] p = {0.02, 0.5, 0.01, 0.025};
        assertArrayEquals(new double[] {0.1 / 3, 0.5, 0.1 / 3, 0.1 / 3}, Enrichment.benjaminiHochberg(p), 1e-12);
        assertArrayEquals(new double[] {0.9, 0.9}, Enrichment.benjaminiHochberg(new double[] {0.9, 0.8}), 1e-12);
        assertArrayEquals(new double[] {0.003}, Enrichment.benjaminiHochberg(new double[] {0.003}), 0);
        assertArrayEquals(new double[0], Enrichment.benjaminiHochberg(new double[0]), 0);
    }
}

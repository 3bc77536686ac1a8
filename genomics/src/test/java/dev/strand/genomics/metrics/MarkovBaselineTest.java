package dev.strand.genomics.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.Generator;
import org.junit.jupiter.api.Test;

class MarkovBaselineTest {
    private static String random(int n, long seed) {
        char[] c = new char[n];
        long base = 0;
        for (int i = 0; i < n; i++) c[i] = "ACGT".charAt((int) (Generator.mix(seed, base + i) & 3));
        return new String(c);
    }

    @Test
    void smoothedProbabilitiesByHand() {
        // order 1 on "AACAT": transitions A→A, A→C, C→A, A→T
        MarkovBaseline m = MarkovBaseline.fit(1, "AACAT");
        assertEquals(4, m.trainedBases());
        assertEquals((1 + 1) / (3 + 4.0), m.probability("A", 'C'), 1e-12);
        assertEquals((0 + 1) / (3 + 4.0), m.probability("A", 'G'), 1e-12);
        assertEquals((1 + 1) / (1 + 4.0), m.probability("C", 'A'), 1e-12);
        assertEquals(0.25, m.probability("G", 'T'), 1e-12);
        // scoring "CA": one scored base, −log2(2/5)
        MarkovBaseline.Evaluation e = m.evaluate("CA");
        assertEquals(1, e.scored());
        assertEquals(1, e.skipped());
        assertEquals(-Math.log(0.4) / Math.log(2), e.bitsPerBase(), 1e-12);
    }

    @Test
    void periodicSequenceIsNearlyFree() {
        String train = "ACGGTCAT".repeat(5000);
        String test = "GTCATACG".repeat(500);
        MarkovBaseline m = MarkovBaseline.fit(3, train);
        double bpb = m.bitsPerBase(test);
        System.out.printf("order-3 Markov on a period-8 sequence: %.5f bits/base%n", bpb);
        assertTrue(bpb < 0.001, "got " + bpb);
        // order 0 sees only composition: A, C, G, T 2 of 8 each → 2 bits
        assertEquals(2.0, MarkovBaseline.fit(0, train).bitsPerBase(test), 1e-3);
    }

    @Test
    void uniformRandomDnaCostsTwoBits() {
        MarkovBaseline m = MarkovBaseline.fit(3, random(1_000_000, 1));
        double bpb = m.bitsPerBase(random(200_000, 2));
        System.out.printf("order-3 Markov on uniform random DNA: %.5f bits/base%n", bpb);
        assertEquals(2.0, bpb, 0.005);
    }

    @Test
    void nAndCaseHandling() {
        MarkovBaseline m = MarkovBaseline.fit(2, "acgNNacgt");
        // runs "acg" (1 target: g after ac) and "acgt" (2 targets): 3 trained
        assertEquals(3, m.trainedBases());
        MarkovBaseline.Evaluation e = m.evaluate("ACGTNAC");
        assertEquals(2, e.scored());
        assertEquals(5, e.skipped());
        assertThrows(IllegalArgumentException.class, () -> new MarkovBaseline(MarkovBaseline.MAX_ORDER + 1));
        assertTrue(Double.isNaN(m.bitsPerBase("NNNN")));
    }
}

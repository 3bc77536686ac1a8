package dev.strand.genomics.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.RandomDna;
import dev.strand.genomics.io.Bases;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReverseComplementTest {
    /** IUPAC nucleotide letters; U is left out because it complements to A (RNA), not back to U. */
    private static final String IUPAC_NO_U = Bases.IUPAC.replace("U", "");

    @Test
    void basesAndN() {
        assertEquals("", Bases.reverseComplement(""));
        assertEquals("ACGTN", Bases.reverseComplement("NACGT"));
        assertEquals("CGAT", Bases.reverseComplement("ATCG"));
        assertEquals("TTTTGGGC", Bases.reverseComplement("GCCCAAAA"));
    }

    @Test
    void iupacPairs() {
        // R<->Y, K<->M, S<->S, W<->W, B<->V, D<->H
        assertEquals("BDHVWSKMRY", Bases.reverseComplement("RYKMSWBDHV"));
        assertEquals('Y', Bases.complement('R'));
        assertEquals('R', Bases.complement('Y'));
        assertEquals('M', Bases.complement('K'));
        assertEquals('K', Bases.complement('M'));
        assertEquals('S', Bases.complement('S'));
        assertEquals('W', Bases.complement('W'));
        assertEquals('V', Bases.complement('B'));
        assertEquals('B', Bases.complement('V'));
        assertEquals('H', Bases.complement('D'));
        assertEquals('D', Bases.complement('H'));
    }

    @Test
    void lowercaseStaysLowercase() {
        assertEquals("tgcAn", Bases.reverseComplement("nTgca"));
        assertEquals("ry", Bases.reverseComplement("ry"));
        assertEquals('t', Bases.complement('a'));
    }

    @Test
    void involutionOnRandomIupac() {
        Random rng = new Random(3);
        String letters = IUPAC_NO_U + IUPAC_NO_U.toLowerCase();
        for (int i = 0; i < 20; i++) {
            String s = RandomDna.random(rng.nextInt(100), letters, rng);
            assertEquals(s, Bases.reverseComplement(Bases.reverseComplement(s)));
        }
    }

    @Test
    void rejectsNonIupacNamingThePosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bases.reverseComplement("ACGXT"));
        assertTrue(e.getMessage().contains("'X' at position 3"), e.getMessage());
    }

    @Test
    void alphabetChecks() {
        assertFalse(Bases.containsNonAcgt("ACGTacgt"));
        assertTrue(Bases.containsNonAcgt("ACGN"));
        assertEquals(-1, Bases.indexOfNonIupac("ACGTNRYKMSWBDHVn"));
        String r = RandomDna.random(1000, 42);
        assertEquals(r, RandomDna.random(1000, 42));
        assertFalse(Bases.containsNonAcgt(r));
    }
}

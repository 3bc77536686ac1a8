package dev.strand.genomics.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.RandomDna;
import dev.strand.genomics.io.Bases;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NucleotideTokenizerTest {
    /** IUPAC nucleotide letters; U is left out because it complements to A (RNA), not back to U. */
    private static final String IUPAC_NO_U = Bases.IUPAC.replace("U", "");

    private final NucleotideTokenizer t = new NucleotideTokenizer();

    @Test
    void hyenaDnaIds() {
        assertArrayEquals(new int[] {7, 8, 9, 10, 11}, t.encode("ACGTN"));
        assertArrayEquals(new int[] {7, 8, 9, 10, 11}, t.encode("acgtn"));
        assertEquals(0, t.cls());
        assertEquals(1, t.sep());
        assertEquals(3, t.mask());
        assertEquals(4, t.pad());
        assertEquals(6, t.unk());
        assertEquals(22, t.vocabSize());
        assertArrayEquals(new int[] {0, 7, 1}, t.encodeWithSpecials("A"));
        for (int id = 0; id < 7; id++) assertTrue(t.isSpecial(id));
        for (int id = 7; id < 22; id++) assertFalse(t.isSpecial(id));
    }

    @Test
    void iupacLettersAreTokensAndOthersUnknown() {
        int[] ids = t.encode("RYKMSWBDHV");
        for (int i = 0; i < ids.length; i++) assertEquals(12 + i, ids[i]);
        assertArrayEquals(new int[] {7, 6, 8}, t.encode("AXC"));
        assertEquals("AC", t.decode(t.encode("AXC")));
    }

    @Test
    void roundTripsEverythingIupac() {
        Random rng = new Random(5);
        for (int trial = 0; trial < 50; trial++) {
            String s = RandomDna.random(rng.nextInt(300), IUPAC_NO_U, rng);
            assertEquals(s, t.decode(t.encodeWithSpecials(s)));
            assertEquals(s, t.decode(t.encode(s.toLowerCase())));
        }
        assertEquals(1.0, t.basesPerToken(t.encodeWithSpecials("ACGTN")), 0);
    }
}

package dev.strand.genomics.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.RandomDna;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KmerTokenizerTest {
    @Test
    void dnabertVocabularyForK6() {
        KmerTokenizer t = new KmerTokenizer(6);
        assertEquals(4101, t.vocabSize());
        assertEquals("[PAD]", t.token(0));
        assertEquals("[UNK]", t.token(1));
        assertEquals("[CLS]", t.token(2));
        assertEquals("[SEP]", t.token(3));
        assertEquals("[MASK]", t.token(4));
        assertEquals(5, t.id("AAAAAA"));
        assertEquals(6, t.id("AAAAAT"));
        assertEquals(7, t.id("AAAAAC"));
        assertEquals(8, t.id("AAAAAG"));
        assertEquals(9, t.id("AAAATA"));
        assertEquals("GGGGGG", t.token(4100));
        assertEquals(0, t.pad());
        assertEquals(1, t.unk());
        assertEquals(2, t.cls());
        assertEquals(3, t.sep());
        assertEquals(4, t.mask());
    }

    @Test
    void digitsFollowDnabertsOrderInEitherCase() {
        for (int d = 0; d < 4; d++) {
            assertEquals(d, KmerTokenizer.digit(KmerTokenizer.ORDER.charAt(d)));
            assertEquals(d, KmerTokenizer.digit(Character.toLowerCase(KmerTokenizer.ORDER.charAt(d))));
        }
        assertEquals(1, KmerTokenizer.digit('T'));
        assertEquals(-1, KmerTokenizer.digit('N'));
        assertEquals(-1, KmerTokenizer.digit('U'));
    }

    @Test
    void vocabularySizesForEveryK() {
        for (int k = 3; k <= 6; k++) assertEquals((1 << (2 * k)) + 5, new KmerTokenizer(k).vocabSize());
        assertEquals("AAA", new KmerTokenizer(3).token(5));
        assertEquals("AAT", new KmerTokenizer(3).token(6));
        assertEquals("ATA", new KmerTokenizer(3).token(9));
        assertThrows(IllegalArgumentException.class, () -> new KmerTokenizer(2));
        assertThrows(IllegalArgumentException.class, () -> new KmerTokenizer(7));
    }

    @Test
    void overlappingTokens() {
        KmerTokenizer t = new KmerTokenizer(3);
        int[] ids = t.encode("ACGTA");
        assertEquals(3, ids.length);
        assertEquals("ACG", t.token(ids[0]));
        assertEquals("CGT", t.token(ids[1]));
        assertEquals("GTA", t.token(ids[2]));
        assertEquals(0, t.encode("AC").length);
        assertArrayEquals(new int[] {2, ids[0], ids[1], ids[2], 3}, t.encodeWithSpecials("ACGTA"));
    }

    @Test
    void lengthMinusKPlusOneTokens() {
        Random rng = new Random(1);
        for (int k = 3; k <= 6; k++) {
            KmerTokenizer t = new KmerTokenizer(k);
            for (int len : new int[] {k, k + 1, 50, 511}) {
                assertEquals(len - k + 1, t.encode(RandomDna.random(len, rng)).length, "k=" + k + " L=" + len);
            }
        }
    }

    @Test
    void nonAcgtKmersAreUnknownAndLowercaseIsTheBase() {
        KmerTokenizer t = new KmerTokenizer(3);
        int[] ids = t.encode("ACNGTA");
        assertArrayEquals(new int[] {1, 1, 1, t.id("GTA")}, ids);
        assertArrayEquals(t.encode("ACGTAC"), t.encode("acgTac"));
    }

    @Test
    void decodeTakesFirstBasesThenTheLastKmer() {
        KmerTokenizer t = new KmerTokenizer(6);
        int[] ids = t.encodeWithSpecials("ACGTACGTTT");
        assertEquals("ACGTACGTTT", t.decode(ids));
        assertEquals("", t.decode(new int[] {2, 3}));
    }

    @Test
    void roundTripsOnRandomDna() {
        Random rng = new Random(7);
        for (int k = 3; k <= 6; k++) {
            KmerTokenizer t = new KmerTokenizer(k);
            for (int trial = 0; trial < 20; trial++) {
                String s = RandomDna.random(k + rng.nextInt(300), rng);
                assertEquals(s, t.decode(t.encode(s)));
                assertEquals(s, t.decode(t.encode(s.toLowerCase())));
            }
        }
    }

    @Test
    void basesPerTokenIsAboutOneForOverlappingKmers() {
        KmerTokenizer t = new KmerTokenizer(6);
        int[] ids = t.encodeWithSpecials(RandomDna.random(1005, 3));
        assertEquals(1000, ids.length - 2);
        assertEquals(1005.0 / 1000, t.basesPerToken(ids), 1e-12);
        assertTrue(t.isSpecial(2) && !t.isSpecial(5));
    }
}

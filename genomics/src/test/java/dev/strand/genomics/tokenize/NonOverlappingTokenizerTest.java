package dev.strand.genomics.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.RandomDna;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NonOverlappingTokenizerTest {
    private final NonOverlappingTokenizer t = new NonOverlappingTokenizer();

    private String[] tokens(int[] ids) {
        return Arrays.stream(ids).mapToObj(t::token).toArray(String[]::new);
    }

    @Test
    void ntExampleFromTheSpec() {
        assertArrayEquals(new String[] {"<cls>", "ACGTGT", "A", "C", "N", "TGCACG", "G"},
                tokens(t.encodeWithSpecials("ACGTGTACNTGCACGG")));
        assertArrayEquals(new String[] {"ACGTGT", "A", "C", "N", "TGCACG", "G"}, tokens(t.encode("acgtgtacntgcacgg")));
    }

    @Test
    void ntVocabularyOrder() {
        assertEquals(4107, t.vocabSize());
        assertEquals(Arrays.asList("<unk>", "<pad>", "<mask>", "<cls>", "AAAAAA", "AAAAAT", "AAAAAC", "AAAAAG", "AAAATA"),
                t.vocabulary().subList(0, 9));
        assertEquals("GGGGGG", t.token(4099));
        assertEquals(Arrays.asList("A", "T", "C", "G", "N", "<eos>", "<bos>"), t.vocabulary().subList(4100, 4107));
        assertEquals(1, t.pad());
        assertEquals(0, t.unk());
        assertEquals(3, t.cls());
        assertEquals(2, t.mask());
        assertEquals(4105, t.sep());
        for (int id : new int[] {0, 1, 2, 3, 4105, 4106}) assertTrue(t.isSpecial(id));
        for (int id : new int[] {4, 4099, 4100, 4104}) assertFalse(t.isSpecial(id));
    }

    @Test
    void otherIupacLettersSplitLikeNAndAreUnknown() {
        assertArrayEquals(new String[] {"A", "C", "<unk>", "ACGTAC", "G"}, tokens(t.encode("ACRACGTACG")));
    }

    @Test
    void roundTripsOnDnaWithNs() {
        Random rng = new Random(11);
        for (int trial = 0; trial < 50; trial++) {
            String s = RandomDna.random(rng.nextInt(200), "ACGTACGTACGTN", rng);
            assertEquals(s, t.decode(t.encodeWithSpecials(s)));
            assertEquals(s, t.decode(t.encode(s.toLowerCase())));
        }
    }
}

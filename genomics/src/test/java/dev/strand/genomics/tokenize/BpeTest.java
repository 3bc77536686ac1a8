package dev.strand.genomics.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.RandomDna;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BpeTest {
    private static String[] tokens(Tokenizer t, int[] ids) {
        return Arrays.stream(ids).mapToObj(t::token).toArray(String[]::new);
    }

    /** Random DNA with some repeated elements and N runs, so merges have something to find. */
    static String genomeLike(int length, long seed) {
        Random rng = new Random(seed);
        String[] repeats = new String[20];
        for (int i = 0; i < repeats.length; i++) repeats[i] = RandomDna.random(20 + rng.nextInt(300), rng);
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            double u = rng.nextDouble();
            if (u < 0.3) sb.append(repeats[rng.nextInt(repeats.length)]);
            else if (u < 0.35) sb.append("N".repeat(1 + rng.nextInt(30)));
            else if (u < 0.4) sb.append("TA".repeat(1 + rng.nextInt(20)));
            else sb.append(RandomDna.random(50 + rng.nextInt(500), rng));
        }
        sb.setLength(length);
        return sb.toString();
    }

    @Test
    void genaLmSpecialIdsAndAlphabet() {
        BpeTokenizer t = new BpeTrainer(18).train("ACGT");
        assertEquals(List.of("[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "-", "A", "B", "C", "G", "K", "M", "N", "R", "S",
                "T", "W", "Y"), t.vocabulary());
        assertEquals(0, t.unk());
        assertEquals(1, t.cls());
        assertEquals(2, t.sep());
        assertEquals(3, t.pad());
        assertEquals(4, t.mask());
        assertEquals(5, t.id("-"));
        assertEquals(0, t.mergeCount());
        for (int id = 0; id < 6; id++) assertTrue(t.isSpecial(id));
        assertTrue(!t.isSpecial(6));
    }

    @Test
    void mergeCountInvariant() {
        String corpus = genomeLike(50_000, 1);
        for (int vocab : new int[] {18, 19, 100, 300}) {
            BpeTokenizer t = new BpeTrainer(vocab).train(corpus);
            assertEquals(vocab, t.vocabSize());
            assertEquals(t.vocabSize() - 6 - 12, t.mergeCount());
        }
        // GENA-LM's numbers: 32000 - 6 - 12 = 31982 merges (checked on the formula, not trained here)
        assertEquals(31_982, 32_000 - BpeTokenizer.SPECIALS.size() - BpeTokenizer.GENA_ALPHABET.length());
        BpeTokenizer own = new BpeTrainer(60).alphabet("ACGTN").train(corpus);
        assertEquals(60 - 6 - 5, own.mergeCount());
        BpeTokenizer tagged = new BpeTrainer(100).controlTags(List.of("<species=dmel>")).train(corpus);
        assertEquals(101, tagged.vocabSize());
        assertEquals(100 - 6 - 12, tagged.mergeCount());
    }

    @Test
    void deterministic() {
        String corpus = genomeLike(100_000, 2);
        BpeTokenizer a = new BpeTrainer(400).train(corpus);
        BpeTokenizer b = new BpeTrainer(400).train(corpus);
        assertEquals(a, b);
        assertEquals(a.merges(), b.merges());
        // the same sequences from an iterator and a supplier
        List<String> pieces = List.of(corpus.substring(0, 50_000), corpus.substring(50_000));
        BpeTokenizer c = new BpeTrainer(400).train(pieces);
        Iterator<String> it = pieces.iterator();
        BpeTokenizer d = new BpeTrainer(400).train(() -> it.hasNext() ? it.next() : null);
        assertEquals(c, d);
        assertEquals(c, new BpeTrainer(400).train(pieces.reversed())); // order does not matter
    }

    @Test
    void knownMergesOnARunOfA() {
        BpeTrainer trainer = new BpeTrainer(100);
        BpeTokenizer t = trainer.train("AAAAAAAA");
        // (A,A) occurs 7 times -> AA; (AA,AA) 3 times -> AAAA; (AAAA,AAAA) once -> AAAAAAAA; then nothing is left
        assertEquals(List.of("A A", "AA AA", "AAAA AAAA"), t.merges());
        assertEquals(21, t.vocabSize());
        assertEquals(1, trainer.stats().tokensAfter());
        assertArrayEquals(new String[] {"AAAAAAAA"}, tokens(t, t.encode("AAAAAAAA")));
        assertArrayEquals(new String[] {"AAAA", "A"}, tokens(t, t.encode("AAAAA")));
        assertArrayEquals(new String[] {"AA", "A"}, tokens(t, t.encode("aaa")));
    }

    @Test
    void knownMergesOnARepeat() {
        BpeTokenizer t = new BpeTrainer(100).train("TATATATA", "TATA");
        // TA: 4+2, AT: 3+1 -> TA; then TA TA: 3+1 -> TATA; then TATA TATA once
        assertEquals(List.of("T A", "TA TA", "TATA TATA"), t.merges());
    }

    @Test
    void tiesGoToTheSmallestIds() {
        // ACGT: AC, CG, GT once each -> AC (A has the smallest id); then (AC,G) and (G,T) once each
        // -> GT (G=9 is a smaller left id than AC=18); then AC GT.
        BpeTokenizer t = new BpeTrainer(100).train("ACGT");
        assertEquals(List.of("A C", "G T", "AC GT"), t.merges());
        assertEquals(18, t.id("AC"));
        assertEquals(19, t.id("GT"));
        assertEquals(20, t.id("ACGT"));
    }

    @Test
    void everyMergeAddsOneDistinctToken() {
        BpeTokenizer t = new BpeTrainer(300).train("AAA", "AAA", "AAA", "AAAAA", genomeLike(20_000, 3));
        List<String> vocab = t.vocabulary();
        assertEquals(vocab.size(), vocab.stream().distinct().count());
        assertEquals(t.vocabSize() - 18, t.mergeCount());
    }

    @Test
    void maxTokenLengthDropsLongPairs() {
        BpeTrainer trainer = new BpeTrainer(100).maxTokenLength(3);
        BpeTokenizer t = trainer.train("AAAAAAAA", "ACGTACGT");
        assertEquals(List.of("A A", "A C", "G T"), t.merges());
        assertTrue(trainer.stats().droppedPairs() > 0);
        assertEquals(t.vocabSize() - 18, t.mergeCount());
        assertEquals("AAAAAAAAACGTACGT", t.decode(t.encode("AAAAAAAAACGTACGT")));
    }

    @Test
    void encodingAppliesMergesInRankOrder() {
        BpeTokenizer t = BpeTokenizer.fromMerges(BpeTokenizer.GENA_ALPHABET, List.of("T G", "A T"), List.of());
        // AT comes first left to right, but TG has the lower rank: A TG, not AT G.
        assertArrayEquals(new String[] {"A", "TG"}, tokens(t, t.encode("ATG")));
        assertArrayEquals(new String[] {"AT", "A", "TG"}, tokens(t, t.encode("ATATG")));
        // equal ranks apply leftmost first: AAAAA -> AA AA A -> AA AAA
        BpeTokenizer u = BpeTokenizer.fromMerges(BpeTokenizer.GENA_ALPHABET, List.of("A A", "AA A"), List.of());
        assertArrayEquals(new String[] {"AA", "AAA"}, tokens(u, u.encode("AAAAA")));
        assertArrayEquals(new String[] {"AAA"}, tokens(u, u.encode("AAA")));
        assertThrows(IllegalArgumentException.class,
                () -> BpeTokenizer.fromMerges(BpeTokenizer.GENA_ALPHABET, List.of("A TG"), List.of()));
    }

    @Test
    void gapTokenForTenOrMoreN() {
        BpeTokenizer t = new BpeTrainer(18).train("ACGT");
        assertArrayEquals(new String[] {"A", "C", "-", "G"}, tokens(t, t.encode("AC" + "N".repeat(10) + "G")));
        assertArrayEquals(new String[] {"A", "-", "G"}, tokens(t, t.encode("A" + "n".repeat(25) + "G")));
        assertArrayEquals(new String[] {"N", "N", "N", "N", "N", "N", "N", "N", "N"}, tokens(t, t.encode("N".repeat(9))));
        assertEquals("A" + "N".repeat(10) + "G", t.decode(t.encode("A" + "N".repeat(10) + "G")));
        assertArrayEquals(new String[] {"A", "[UNK]", "C"}, tokens(t, t.encode("AXC")));
        assertArrayEquals(new int[] {1, 6, 5, 9, 2}, t.encodeWithSpecials("A" + "N".repeat(12) + "G"));
    }

    @Test
    void mergesNeverCrossGapsOrUnknowns() {
        BpeTrainer trainer = new BpeTrainer(100);
        BpeTokenizer t = trainer.train("AC" + "N".repeat(10) + "AC" + "N".repeat(10) + "AC", "AC.AC");
        assertEquals(List.of("A C"), t.merges());
        assertArrayEquals(new String[] {"AC", "-", "AC"}, tokens(t, t.encode("AC" + "N".repeat(11) + "AC")));
    }

    @Test
    void trainingAndEncodingAgree() {
        String corpus = genomeLike(200_000, 4);
        BpeTrainer trainer = new BpeTrainer(1000);
        BpeTokenizer t = trainer.train(corpus);
        int[] ids = t.encode(corpus);
        long dna = Arrays.stream(ids).filter(id -> id >= 6).count();
        assertEquals(trainer.stats().tokensAfter(), dna);
        assertEquals(corpus.replaceAll("N{10,}", "N".repeat(10)), t.decode(ids));
        assertTrue(t.basesPerToken(ids) > 2, "bases per token " + t.basesPerToken(ids));
    }

    @Test
    void roundTripsOnRandomDna() {
        BpeTokenizer t = new BpeTrainer(500).train(genomeLike(100_000, 5));
        Random rng = new Random(6);
        for (int trial = 0; trial < 50; trial++) {
            String s = RandomDna.random(rng.nextInt(2000), "ACGTACGTACGTNRYKMSWB", rng);
            assertEquals(s, t.decode(t.encode(s)));
            assertEquals(s, t.decode(t.encodeWithSpecials(s.toLowerCase())));
        }
    }

    @Test
    void trainsFiveHundredTwelveTokensOnOneMegabaseQuickly() {
        String corpus = genomeLike(1_000_000, 7);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < corpus.length(); i += 100_000) records.add(corpus.substring(i, Math.min(corpus.length(), i + 100_000)));
        BpeTrainer trainer = new BpeTrainer(512);
        BpeTokenizer t = trainer.train(records);
        assertEquals(512, t.vocabSize());
        assertEquals(512 - 18, trainer.stats().merges());
        assertNotEquals(0, trainer.stats().millis() + 1);
    }

    @Test
    void rejectsTooSmallVocabulariesAndBadAlphabets() {
        assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(17).train("ACGT"));
        assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(100).alphabet("ACGTA"));
        assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(100).alphabet("acgt"));
        assertThrows(IllegalArgumentException.class, () -> new BpeTrainer(100).minFrequency(0));
    }

    @Test
    void minFrequencyStopsEarly() {
        BpeTokenizer t = new BpeTrainer(100).minFrequency(2).train("ACGT", "ACTT");
        assertEquals(List.of("A C"), t.merges());
    }
}

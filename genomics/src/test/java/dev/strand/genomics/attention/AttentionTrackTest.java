package dev.strand.genomics.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.RandomDna;
import dev.strand.genomics.tokenize.BpeTokenizer;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.NonOverlappingTokenizer;
import dev.strand.genomics.tokenize.NucleotideTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Token-to-base spans, per-base averaging over covering tokens, normalisation, and the model run behind them. */
class AttentionTrackTest {
    private static void assertSpans(TokenSpans s, int... startEnd) {
        assertEquals(startEnd.length / 2, s.count());
        for (int j = 0; j < s.count(); j++) {
            assertEquals(startEnd[2 * j], s.start(j), "start of token " + j);
            assertEquals(startEnd[2 * j + 1], s.end(j), "end of token " + j);
        }
    }

    @Test
    void overlappingThreeMersAverageTheKmersCoveringEachBase() {
        TokenSpans s = TokenSpans.of(new KmerTokenizer(3), "ACGTAC");
        assertSpans(s, 0, 3, 1, 4, 2, 5, 3, 6);
        assertEquals(1, s.first());
        assertEquals(6, s.length(), "[CLS] + 4 three-mers + [SEP]");
        float[] perBase = AttentionTrack.perBase(new float[] {1, 2, 3, 4}, s, 6);
        // base 0: {1}; 1: {1,2}; 2: {1,2,3}; 3: {2,3,4}; 4: {3,4}; 5: {4}
        assertArrayEquals(new float[] {1f, 1.5f, 2f, 3f, 3.5f, 4f}, perBase, 1e-6f);
    }

    @Test
    void nonOverlappingSixMersSpreadEachTokenOverItsBases() {
        TokenSpans s = TokenSpans.of(new NonOverlappingTokenizer(), "ACGTACGGTTCAACNGT");
        // ACGTAC | GGTTCA | A | C | N | G | T: NT cuts ACGT pieces into 6-mers, leftovers and N single
        assertSpans(s, 0, 6, 6, 12, 12, 13, 13, 14, 14, 15, 15, 16, 16, 17);
        assertEquals(8, s.length(), "<cls> + 7 tokens, nothing appended");
        float[] perBase = AttentionTrack.perBase(new float[] {1, 2, 3, 4, 5, 6, 7}, s, 17);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 4, 5, 6, 7}, perBase, 0f);
    }

    @Test
    void singleNucleotideTokensAreTheIdentity() {
        TokenSpans s = TokenSpans.of(new NucleotideTokenizer(), "ACGTN");
        assertSpans(s, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5);
        float[] scores = {0.5f, 0.1f, 0.9f, 0.3f, 0.2f};
        assertArrayEquals(scores, AttentionTrack.perBase(scores, s, 5), 0f);
    }

    @Test
    void bpeTokensCoverTheirOwnLettersAndGapsTheirWholeRunOfN() {
        Tokenizer bpe = BpeTokenizer.fromMerges("ACGTN", List.of("A C", "AC G"), List.of());
        String seq = "ACGTAC" + "N".repeat(12) + "T";
        TokenSpans s = TokenSpans.of(bpe, seq);
        assertSpans(s, 0, 3, 3, 4, 4, 6, 6, 18, 18, 19);   // ACG, T, AC, gap of 12 N, T
        float[] perBase = AttentionTrack.perBase(new float[] {2, 4, 6, 8, 10}, s, seq.length());
        float[] expected = new float[19];
        java.util.Arrays.fill(expected, 0, 3, 2);
        expected[3] = 4;
        java.util.Arrays.fill(expected, 4, 6, 6);
        java.util.Arrays.fill(expected, 6, 18, 8);
        expected[18] = 10;
        assertArrayEquals(expected, perBase, 0f);
    }

    @Test
    void normalisingGivesAUnitVector() {
        assertArrayEquals(new float[] {0.6f, 0.8f}, AttentionTrack.normalise(new float[] {3, 4}), 1e-7f);
        assertArrayEquals(new float[] {0f, 0f}, AttentionTrack.normalise(new float[] {0, 0}), 0f);
    }

    @Test
    void theModelsAttentionGivesMapsWhoseRowsSumToOneAndATrackFromCls() {
        Tokenizer tok = new KmerTokenizer(3);
        BertModel model = new BertModel(new TransformerConfig(tok.vocabSize(), 16, 2, 2, 32, 24, 0.1f, true, Positions.LEARNED, 1e-5f), new Generator(3));
        String seq = RandomDna.random(20, 5);
        AttentionMaps maps = AttentionMaps.compute(model.encoder, tok, "s", seq);
        assertEquals(2, maps.layers());
        assertEquals(2, maps.heads());
        assertEquals(20, maps.length(), "[CLS] + 18 three-mers + [SEP]");
        assertEquals("[CLS]", maps.tokens().get(0));
        assertEquals(seq.substring(0, 3), maps.tokens().get(1));
        float[] fromCls = new float[20];
        for (int h = 0; h < 2; h++) {
            float[][] m = maps.map(1, h);
            for (float[] row : m) {
                double sum = 0;
                for (float v : row) sum += v;
                assertEquals(1.0, sum, 1e-5);
            }
            for (int j = 0; j < 20; j++) fromCls[j] += m[0][j];
        }
        assertArrayEquals(fromCls, maps.fromCls(1), 1e-6f);

        AttentionTrack track = AttentionTrack.of(maps, seq, -1);
        assertArrayEquals(java.util.Arrays.copyOfRange(fromCls, 1, 19), track.tokenScores(), 1e-6f);
        float[] expected = AttentionTrack.normalise(AttentionTrack.perBase(track.tokenScores(), maps.spans(), 20));
        assertArrayEquals(expected, track.scores(), 1e-7f);
        double norm = 0;
        for (float v : track.scores()) norm += v * v;
        assertEquals(1.0, norm, 1e-5);
        // evaluation mode: no dropout, so a second run gives the same track
        assertArrayEquals(track.scores(), AttentionTrack.compute(model.encoder, tok, "s", seq).scores(), 0f);
        assertEquals(null, model.encoder.attentionMaps().get(0), "recording is switched off again");

        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> AttentionMaps.compute(model.encoder, tok, "long", RandomDna.random(30, 1)));
        assertTrue(tooLong.getMessage().contains("at most 24 tokens"), tooLong.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> AttentionMaps.compute(model.encoder, tok, "odd", "ACGTRACGT"));
        assertEquals("odd has 'R' at base 5; only A, C, G, T and N are allowed", bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AttentionMaps.compute(model.encoder, tok, "short", "AC"));
        assertThrows(IllegalArgumentException.class, () -> AttentionTrack.of(maps, seq, 2));
    }
}

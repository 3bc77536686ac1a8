package dev.strand.genomics.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MlmMaskerTest {
    private final Tokenizer nt = new TestDoubleNucleotideTokenizer();
    private final Tokenizer kmer = new TestDoubleKmerTokenizer(6);

    /** Rows of [CLS] + random DNA tokens + [SEP] + padding, with varying lengths. */
    private static int[][] batch(Tokenizer tok, int b, int t, long seed) {
        Generator gen = new Generator(seed);
        int[][] rows = new int[b][t];
        for (int i = 0; i < b; i++) {
            int len = t - 2 - gen.nextInt(t / 4); // some padding in most rows
            int[] ids = tok.encodeWithSpecials(TestDoubleInMemoryGenome.randomDna(len + (tok instanceof TestDoubleKmerTokenizer ? 5 : 0), gen));
            Arrays.fill(rows[i], tok.pad());
            System.arraycopy(ids, 0, rows[i], 0, ids.length);
        }
        return rows;
    }

    private record Stats(long maskable, long chosen, long toMask, long toOther, long same) {}

    private static Stats stats(MlmMasker m, int[][] in, MlmMasker.Masked out, Tokenizer tok) {
        long maskable = 0, chosen = 0, toMask = 0, toOther = 0, same = 0;
        for (int i = 0; i < in.length; i++) {
            for (int j = 0; j < in[i].length; j++) {
                int orig = in[i][j], x = out.inputIds()[i][j], y = out.labels()[i][j];
                if (!m.maskable(orig)) {
                    assertEquals(MlmMasker.IGNORE, y, "special/pad position labelled");
                    assertEquals(orig, x, "special/pad position changed");
                    continue;
                }
                maskable++;
                if (y == MlmMasker.IGNORE) {
                    assertEquals(orig, x, "unchosen position changed");
                    continue;
                }
                assertEquals(orig, y, "label must be the original id");
                chosen++;
                if (x == tok.mask()) toMask++;
                else if (x == orig) same++;
                else {
                    assertFalse(tok.isSpecial(x), "random replacement must not be special");
                    toOther++;
                }
            }
        }
        return new Stats(maskable, chosen, toMask, toOther, same);
    }

    @Test
    void bertMaskingRates() {
        // k-mer vocabulary (4096 DNA tokens): a random replacement equals the original with p = 1/4096
        int[][] in = batch(kmer, 128, 512, 1);
        MlmMasker m = MlmMasker.bert(kmer);
        MlmMasker.Masked out = m.mask(in, new Generator(42));
        Stats s = stats(m, in, out, kmer);
        double chosen = (double) s.chosen() / s.maskable();
        double mask = (double) s.toMask() / s.chosen(), other = (double) s.toOther() / s.chosen(), same = (double) s.same() / s.chosen();
        System.out.printf("BERT masking: %d maskable, chosen %.4f; of chosen: [MASK] %.4f, random %.4f, unchanged %.4f%n",
                s.maskable(), chosen, mask, other, same);
        assertTrue(s.maskable() > 55_000);
        assertEquals(0.15, chosen, 0.006);
        assertEquals(0.80, mask, 0.02);
        assertEquals(0.10, other, 0.015);
        assertEquals(0.10, same, 0.015);
    }

    @Test
    void randomTokensAreUniformOverNonSpecialIds() {
        // single-nucleotide vocabulary: 5 non-special ids (A C G T N); a random draw hits the original 1/5 of the time
        int[][] in = batch(nt, 128, 512, 2);
        MlmMasker m = MlmMasker.bert(nt);
        Stats s = stats(m, in, m.mask(in, new Generator(7)), nt);
        assertEquals(0.10 * 4 / 5, (double) s.toOther() / s.chosen(), 0.015);
        assertEquals(0.10 + 0.10 / 5, (double) s.same() / s.chosen(), 0.015);
    }

    @Test
    void deterministicAndResumable() {
        int[][] in = batch(nt, 8, 64, 3);
        MlmMasker m = MlmMasker.bert(nt);
        Generator g1 = new Generator(5);
        MlmMasker.Masked a = m.mask(in, g1);
        long state = g1.state();
        MlmMasker.Masked b = m.mask(in, g1);
        assertTrue(Arrays.deepEquals(a.inputIds(), m.mask(in, new Generator(5)).inputIds()));
        Generator g2 = new Generator(5);
        g2.setState(state);
        MlmMasker.Masked b2 = m.mask(in, g2);
        assertTrue(Arrays.deepEquals(b.inputIds(), b2.inputIds()));
        assertTrue(Arrays.deepEquals(b.labels(), b2.labels()));
        assertFalse(Arrays.deepEquals(a.labels(), b.labels()), "successive calls draw new masks");
        int[][] copy = in.clone();
        for (int i = 0; i < in.length; i++) copy[i] = in[i].clone();
        assertTrue(Arrays.deepEquals(copy, in), "input untouched");
    }

    @Test
    void tensorBatchMatchesArrays() {
        int[][] in = batch(nt, 4, 32, 4);
        int[] flat = new int[4 * 32];
        for (int i = 0; i < 4; i++) System.arraycopy(in[i], 0, flat, i * 32, 32);
        MlmMasker m = MlmMasker.bert(nt);
        MlmMasker.MaskedTensors t = m.mask(Tensor.ofInts(flat, 4, 32), new Generator(9));
        MlmMasker.Masked a = m.mask(in, new Generator(9));
        assertArrayEquals(new int[] {4, 32}, t.inputIds().shape());
        int[] ti = t.inputIds().toIntArray(), tl = t.labels().toIntArray();
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(a.inputIds()[i], Arrays.copyOfRange(ti, i * 32, i * 32 + 32));
            assertArrayEquals(a.labels()[i], Arrays.copyOfRange(tl, i * 32, i * 32 + 32));
        }
        assertThrows(IllegalArgumentException.class, () -> m.mask(Tensor.zeros(4, 32), new Generator(1)));
    }

    @Test
    void spanMaskingMasksAboutFifteenPercentInSpans() {
        double p = MlmMasker.spanCentreProbability(6, 0.15);
        assertEquals(1 - Math.pow(0.85, 1 / 6.0), p, 1e-12);
        assertEquals(0.0267, p, 1e-4);
        int[][] in = batch(kmer, 128, 512, 5);
        MlmMasker m = MlmMasker.dnabertSpan(kmer, 6);
        assertEquals(6, m.spanLength());
        MlmMasker.Masked out = m.mask(in, new Generator(11));
        Stats s = stats(m, in, out, kmer);
        double frac = (double) s.chosen() / s.maskable();
        System.out.printf("DNABERT span masking k=6, p=%.4f: masked %.4f of %d maskable; of masked: [MASK] %.4f, random %.4f, unchanged %.4f%n",
                p, frac, s.maskable(), (double) s.toMask() / s.chosen(), (double) s.toOther() / s.chosen(), (double) s.same() / s.chosen());
        // spans are correlated, so the spread is wider than for BERT: over 200 seeds the largest deviation was 0.011
        assertEquals(0.15, frac, 0.015);
        assertEquals(0.80, (double) s.toMask() / s.chosen(), 0.025);
        // every masked run is at least 6 tokens long unless it touches the row's maskable range edges
        for (int i = 0; i < in.length; i++) {
            int first = 1, last = first;
            while (last + 1 < in[i].length && m.maskable(in[i][last + 1])) last++;
            int[] y = out.labels()[i];
            for (int j = first; j <= last; ) {
                if (y[j] == MlmMasker.IGNORE) {
                    j++;
                    continue;
                }
                int e = j;
                while (e + 1 <= last && y[e + 1] != MlmMasker.IGNORE) e++;
                if (j > first && e < last) assertTrue(e - j + 1 >= 6, "run " + j + ".." + e + " shorter than a span");
                j = e + 1;
            }
            assertEquals(MlmMasker.IGNORE, y[0]);
        }
    }

    @Test
    void spanOffsetsFollowDnabert() {
        // one row, centre probability 1 at a single position is not controllable; check with p = 1 on a short row:
        // every maskable token is a centre, so everything maskable is masked, nothing special is.
        int[] row = kmer.encodeWithSpecials("ACGTACGTACGTAC");
        int[][] in = {Arrays.copyOf(row, row.length + 3)};
        MlmMasker m = MlmMasker.dnabertSpan(kmer, 6, 1.0);
        MlmMasker.Masked out = m.mask(in, new Generator(1));
        for (int j = 0; j < in[0].length; j++) assertEquals(m.maskable(in[0][j]), out.labels()[0][j] != MlmMasker.IGNORE);
        // k = 6 spans cover offsets −2 … +3; k = 3: −1 … +1; k = 4: −1 … +2
        assertEquals(6, MlmMasker.dnabertSpan(kmer, 6).spanLength());
        assertEquals(3, MlmMasker.dnabertSpan(kmer, 3).spanLength());
        assertEquals(4, MlmMasker.dnabertSpan(kmer, 4).spanLength());
    }

    @Test
    void spanOffsetsAreMinusTwoToPlusThreeForSixMers() {
        // The documented draw layout: centre at (row b, position t) iff uniformAt(seed, start + 3·(b·T + t)) < p.
        // Recompute the centres independently and compare the masked set with the union of their spans,
        // clipped to the maskable range [1, 38].
        int[] row = new int[40];
        Arrays.fill(row, 5 + 100);
        row[0] = kmer.cls();
        row[39] = kmer.sep();
        double p = 0.05;
        MlmMasker m = MlmMasker.dnabertSpan(kmer, 6, p);
        for (long seed = 0; seed < 50; seed++) {
            boolean[] expect = new boolean[40];
            boolean any = false;
            for (int t = 1; t <= 38; t++) {
                if (Generator.uniformAt(seed, 3L * t) < p) {
                    for (int o = -2; o <= 3; o++) if (t + o >= 1 && t + o <= 38) expect[t + o] = any = true;
                }
            }
            if (!any) continue; // the fallback would pick one token
            int[] y = m.mask(new int[][] {row}, new Generator(seed)).labels()[0];
            for (int t = 0; t < 40; t++) assertEquals(expect[t], y[t] != MlmMasker.IGNORE, "seed " + seed + " position " + t);
        }
    }

    @Test
    void emptyBatchGetsOneMaskedPosition() {
        int[][] in = {nt.encodeWithSpecials("AC")};
        MlmMasker m = MlmMasker.token(nt, 1e-6, 0.8, 0.1);
        MlmMasker.Masked out = m.mask(in, new Generator(3));
        long chosen = Arrays.stream(out.labels()[0]).filter(v -> v != MlmMasker.IGNORE).count();
        assertEquals(1, chosen);
        // a batch of nothing but specials masks nothing
        MlmMasker.Masked none = m.mask(new int[][] {{2, 3, 0, 0}}, new Generator(3));
        assertArrayEquals(new int[] {-100, -100, -100, -100}, none.labels()[0]);
    }

    @Test
    void rejectsBadInput() {
        MlmMasker m = MlmMasker.bert(nt);
        assertThrows(IllegalArgumentException.class, () -> m.mask(new int[][] {{2, 5, 3}, {2, 3}}, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> m.mask(new int[][] {{2, 55, 3}}, new Generator(1)));
        assertThrows(IllegalArgumentException.class, () -> MlmMasker.token(nt, 0.15, 0.9, 0.2));
        assertNotEquals(0, MlmMasker.bert(nt).probability());
    }
}

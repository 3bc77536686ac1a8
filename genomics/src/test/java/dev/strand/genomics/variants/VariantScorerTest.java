package dev.strand.genomics.variants;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.GradMode;
import dev.strand.genomics.RandomDna;
import dev.strand.genomics.io.FastaGenome;
import dev.strand.genomics.io.FastaRecord;
import dev.strand.genomics.io.VcfVariant;
import dev.strand.genomics.metrics.ClassificationMetrics;
import dev.strand.genomics.tokenize.BpeTrainer;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.NucleotideTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.variants.VariantScore.Origin;
import dev.strand.genomics.variants.VariantScore.Status;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.GptModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scoring math against direct computations from a tiny random model's logits, one sequence at
 * a time: masked marginals (single nucleotides and overlapping k-mers), pseudo-log-likelihoods,
 * causal log-likelihood ratios; plus REF checks, skips, controls and batching.
 */
class VariantScorerTest {
    private static final String CONTIG = "chrT";
    private static final String DNA = RandomDna.random(400, 7);
    private static final FastaGenome GENOME = FastaGenome.fromRecords("test genome", List.of(new FastaRecord(CONTIG, "", DNA)));
    private static final int WINDOW = 40;

    private static TransformerConfig config(Tokenizer tok) {
        return new TransformerConfig(tok.vocabSize(), 16, 2, 2, 32, 64, 0f, true, Positions.LEARNED, 1e-5f);
    }

    /** A variant at 1-based {@code pos} with the genome's base as REF. */
    private static VcfVariant snv(int pos, String... alts) {
        return VcfVariant.of(CONTIG, pos, String.valueOf(DNA.charAt(pos - 1)), alts);
    }

    /** A base that differs from the genome's at 1-based {@code pos}. */
    private static String other(int pos, int shift) {
        return String.valueOf("ACGT".charAt(("ACGT".indexOf(DNA.charAt(pos - 1)) + shift) % 4));
    }

    private static VariantScorer.Settings settings(int batch, boolean controls) {
        return new VariantScorer.Settings(WINDOW, batch, List.of(), controls, 5);
    }

    /** log-softmax of [1, T, V] logits at position t, token id. */
    private static double logProb(Tensor logits, int t, int id) {
        return logits.select(0, 0).select(0, t).unsqueeze(0).logSoftmax(1).get(0, id);
    }

    private static Tensor row(int[] ids) {
        return Tensor.ofInts(ids, 1, ids.length);
    }

    @Test
    void maskedMarginalOfSingleNucleotidesEqualsTheLogitsOfTheMaskedWindow() {
        Tokenizer tok = new NucleotideTokenizer();
        BertModel bert = new BertModel(config(tok), new Generator(3));
        bert.eval();
        List<VcfVariant> variants = List.of(snv(5, other(5, 1)), snv(200, other(200, 1), other(200, 2)), snv(398, other(398, 3)));
        VariantScorer.Result r = VariantScorer.of(bert, tok).score(GENOME, variants, settings(2, false), null);
        assertEquals(ScoringMethod.MASKED_MARGINAL, r.method());
        assertEquals(4, r.scores().size());
        for (VariantScore s : r.scores()) {
            assertEquals(Status.OK, s.status(), s.note());
            VariantWindow w = VariantWindow.around(GENOME, CONTIG, s.pos() - 1, s.pos(), s.alt(), WINDOW);
            assertEquals(WINDOW, w.end() - w.start());
            assertEquals(w.start() + 1, s.windowStart());
            assertEquals(w.end(), s.windowEnd());
            int[] ids = tok.encodeWithSpecials(w.ref());
            int at = w.offset() + 1;                                   // after [CLS]
            ids[at] = tok.mask();
            double expected;
            try (var off = GradMode.off()) {
                Tensor logits = bert.mlmLogits(row(ids), null).data();
                expected = logProb(logits, at, tok.encode(s.alt())[0]) - logProb(logits, at, tok.encode(s.ref())[0]);
            }
            assertEquals(expected, s.score(), 1e-4, s.toString());
        }
        // the same scores one variant at a time and in batches of one
        VariantScorer.Result alone = VariantScorer.of(bert, tok).score(GENOME, variants.subList(1, 2), settings(1, false), null);
        assertEquals(r.scores().get(1).score(), alone.scores().get(0).score(), 1e-5);
        assertEquals(r.scores().get(2).score(), alone.scores().get(1).score(), 1e-5);
    }

    @Test
    void overlappingKmersMaskExactlyTheKTokensContainingTheBase() {
        KmerTokenizer tok = new KmerTokenizer(3);
        int pos = 150;
        String alt = other(pos, 2);
        VariantWindow w = VariantWindow.around(GENOME, CONTIG, pos - 1, pos, alt, WINDOW);
        int[] ref = tok.encodeWithSpecials(w.ref()), altIds = tok.encodeWithSpecials(w.alt());
        // token j (after [CLS] at 0) covers window bases j-1 … j+1; the base at offset o is in tokens o-1, o, o+1 (+1 for [CLS])
        int o = w.offset();
        assertArrayEquals(new int[] {o - 1, o, o + 1}, MaskedMarginalScorer.changedTokens(ref, altIds));

        BertModel bert = new BertModel(config(tok), new Generator(4));
        bert.eval();
        VariantScore s = VariantScorer.of(bert, tok).score(GENOME, List.of(snv(pos, alt)), settings(4, false), null).scores().get(0);
        int[] masked = ref.clone();
        for (int p = o - 1; p <= o + 1; p++) masked[p] = tok.mask();
        double expected = 0;
        try (var off = GradMode.off()) {
            Tensor logits = bert.mlmLogits(row(masked), null).data();
            for (int p = o - 1; p <= o + 1; p++) expected += logProb(logits, p, altIds[p]) - logProb(logits, p, ref[p]);
        }
        assertEquals(expected, s.score(), 1e-4);
    }

    @Test
    void causalScoreIsTheDifferenceOfSummedNextTokenLogProbabilities() {
        Tokenizer tok = new NucleotideTokenizer();
        GptModel gpt = new GptModel(config(tok), new Generator(5));
        gpt.eval();
        String deleted = DNA.substring(99, 102);                       // deletion of 2 bases after the anchor at POS 100
        List<VcfVariant> variants = List.of(snv(50, other(50, 1)), VcfVariant.of(CONTIG, 100, deleted, deleted.substring(0, 1)),
                VcfVariant.of(CONTIG, 300, DNA.substring(299, 300), DNA.charAt(299) + "GA"));
        VariantScorer.Result r = VariantScorer.of(gpt, tok).score(GENOME, variants, settings(3, false), null);
        assertEquals(ScoringMethod.CAUSAL_LIKELIHOOD, r.method());
        for (VariantScore s : r.scores()) {
            assertEquals(Status.OK, s.status(), s.note());
            VariantWindow w = VariantWindow.around(GENOME, CONTIG, s.pos() - 1, s.pos() - 1 + s.ref().length(), s.alt(), WINDOW);
            assertEquals(w.ref().length(), w.alt().length(), "indel windows keep the same length");
            double expected = logLikelihood(gpt, tok.encodeWithSpecials(w.alt())) - logLikelihood(gpt, tok.encodeWithSpecials(w.ref()));
            assertEquals(expected, s.score(), 1e-4, s.toString());
        }
    }

    /** Σ over DNA tokens t of log p(ids[t] | ids[<t]), one sequence, no batching. */
    private static double logLikelihood(GptModel gpt, int[] ids) {
        try (var off = GradMode.off()) {
            Tensor logits = gpt.logits(row(ids), null).data();
            double sum = 0;
            for (int t = 1; t < ids.length - 1; t++) sum += logProb(logits, t - 1, ids[t]);   // skip [CLS] and the closing [SEP]
            return sum;
        }
    }

    @Test
    void pseudoLikelihoodMasksEachTokenOnce() {
        Tokenizer tok = new NucleotideTokenizer();
        BertModel bert = new BertModel(config(tok), new Generator(6));
        bert.eval();
        VariantWindow w = VariantWindow.around(GENOME, CONTIG, 219, 220, other(220, 1), 12);
        Allele a = new Allele(snv(220, other(220, 1)), other(220, 1), Origin.REAL, w, tok.encodeWithSpecials(w.ref()), tok.encodeWithSpecials(w.alt()));
        PseudoLikelihoodScorer pll = new PseudoLikelihoodScorer(bert, tok, 5);
        assertEquals(24, pll.rows(List.of(a)), "12 masked copies of each window");
        double score;
        try (var off = GradMode.off()) {
            score = pll.score(List.of(a), n -> {})[0];
        }
        assertEquals(pseudoLikelihood(bert, tok, a.altIds()) - pseudoLikelihood(bert, tok, a.refIds()), score, 1e-4);
    }

    private static double pseudoLikelihood(BertModel bert, Tokenizer tok, int[] ids) {
        double sum = 0;
        try (var off = GradMode.off()) {
            for (int i = 1; i < ids.length - 1; i++) {
                int[] masked = ids.clone();
                masked[i] = tok.mask();
                sum += logProb(bert.mlmLogits(row(masked), null).data(), i, ids[i]);
            }
        }
        return sum;
    }

    @Test
    void bpeMaskedModelsScoreSubstitutionsAndIndelsByPseudoLikelihood() {
        Tokenizer tok = new BpeTrainer(40).alphabet("ACGT").train(DNA);
        BertModel bert = new BertModel(config(tok), new Generator(8));
        String ins = DNA.substring(149, 150);
        VariantScorer.Result r = VariantScorer.of(bert, tok).score(GENOME, List.of(snv(60, other(60, 1)), VcfVariant.of(CONTIG, 150, ins, ins + "TT")),
                new VariantScorer.Settings(24, 16, List.of(), false, 1), null);
        assertEquals(ScoringMethod.PSEUDO_LIKELIHOOD, r.method());
        assertTrue(r.scores().stream().allMatch(s -> s.scored() && Double.isFinite(s.score())), r.scores().toString());
    }

    @Test
    void refMismatchesUnknownContigsAndUnscorableAllelesAreListedNotScored() {
        Tokenizer tok = new NucleotideTokenizer();
        BertModel bert = new BertModel(config(tok), new Generator(9));
        String wrong = other(30, 1);
        String del = DNA.substring(79, 82);
        List<VcfVariant> variants = List.of(VcfVariant.of(CONTIG, 30, wrong, other(30, 2)), VcfVariant.of("chrNone", 5, "A", "C"),
                VcfVariant.of(CONTIG, 80, del, del.substring(0, 1)), snv(90, "<DEL>"), snv(91, "N"), snv(92), snv(93, other(93, 1)));
        VariantScorer.Result r = VariantScorer.of(bert, tok).score(GENOME, variants, settings(8, false), null);
        List<VariantScore> s = r.scores();
        assertEquals(7, s.size());
        assertEquals(Status.REF_MISMATCH, s.get(0).status());
        assertTrue(Double.isNaN(s.get(0).score()) && s.get(0).note().contains("REF '" + wrong + "'"), s.get(0).note());
        assertEquals(Status.UNKNOWN_CONTIG, s.get(1).status());
        assertEquals(Status.SKIPPED, s.get(2).status());
        assertTrue(s.get(2).note().startsWith("indel"), s.get(2).note());
        assertTrue(s.get(3).note().contains("symbolic"), s.get(3).note());
        assertTrue(s.get(4).note().contains("other than A/C/G/T"), s.get(4).note());
        assertEquals("no ALT allele", s.get(5).note());
        assertEquals(Status.OK, s.get(6).status());
        assertEquals(1, r.count(Status.OK));
        assertEquals(4, r.count(Status.SKIPPED));

        String table = ScoreTable.format(r);
        assertEquals(8, table.lines().count());
        assertTrue(table.lines().skip(1).allMatch(l -> l.split("\t", -1).length == 12), table);
        assertTrue(table.contains("\tNA\tNA\tNA\tNA\tref_mismatch\t"), table);
    }

    @Test
    void controlsAreOtherBasesAtRealPositionsSeededWithTheirAuroc() {
        Tokenizer tok = new NucleotideTokenizer();
        BertModel bert = new BertModel(config(tok), new Generator(10));
        List<VcfVariant> variants = List.of(snv(40, other(40, 1)), snv(120, other(120, 1), other(120, 2), other(120, 3)), snv(250, other(250, 2)),
                snv(330, other(330, 3)));
        VariantScorer scorer = VariantScorer.of(bert, tok);
        VariantScorer.Result r = scorer.score(GENOME, variants, settings(4, true), null);
        List<VariantScore> controls = r.scores().stream().filter(s -> s.origin() == Origin.CONTROL).toList();
        assertEquals(3, controls.size(), "no control where the real ALTs take all three other bases");
        for (VariantScore c : controls) {
            VcfVariant real = variants.stream().filter(v -> v.pos() == c.pos()).findFirst().orElseThrow();
            assertNotEquals(real.ref(), c.alt());
            assertTrue(real.alts().stream().noneMatch(c.alt()::equals));
        }
        List<VariantScore> scored = r.scores().stream().filter(VariantScore::scored).toList();
        double[] scores = scored.stream().mapToDouble(VariantScore::score).toArray();
        int[] labels = scored.stream().mapToInt(s -> s.origin() == Origin.REAL ? 1 : 0).toArray();
        assertEquals(ClassificationMetrics.auroc(scores, labels), r.controlAuroc(), 1e-12);
        List<String> again = scorer.score(GENOME, variants, settings(1, true), null).scores().stream()
                .filter(c -> c.origin() == Origin.CONTROL).map(c -> c.pos() + c.alt()).toList();
        assertEquals(controls.stream().map(c -> c.pos() + c.alt()).toList(), again, "the same seed gives the same controls");
        assertTrue(Double.isNaN(scorer.score(GENOME, variants, settings(4, false), null).controlAuroc()));
    }

    @Test
    void windowsMustFitModelsWithBoundedPositionsAndTagsMustBeKnown() {
        Tokenizer tok = new NucleotideTokenizer();
        VariantScorer scorer = VariantScorer.of(new BertModel(config(tok), new Generator(11)), tok);
        assertEquals(62, scorer.windowBases(0, 0), "the longest window the 64 learned positions take, with [CLS] and [SEP]");
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> scorer.windowBases(100, 0));
        assertTrue(tooLong.getMessage().contains("--window 62"), tooLong.getMessage());
        IllegalArgumentException tag = assertThrows(IllegalArgumentException.class, () -> scorer.score(GENOME, List.of(snv(5, other(5, 1))),
                new VariantScorer.Settings(0, 4, List.of("<species=none>"), false, 1), null));
        assertTrue(tag.getMessage().contains("<species=none>"), tag.getMessage());
    }
}

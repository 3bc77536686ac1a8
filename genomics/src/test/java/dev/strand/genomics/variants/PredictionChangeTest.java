package dev.strand.genomics.variants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.GradMode;
import dev.strand.genomics.RandomDna;
import dev.strand.genomics.io.FastaGenome;
import dev.strand.genomics.io.FastaRecord;
import dev.strand.genomics.io.VcfVariant;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.SequenceHead;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.nn.transformer.Transformer;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Variant scores from a fine-tuned model (DNABERT's functional-variant analysis) against the
 * model run on each window alone: a class's log-odds change for a classifier, a target's change
 * for regression, substitutions and indels alike.
 */
class PredictionChangeTest {
    private static final String CONTIG = "chrP";
    private static final String DNA = RandomDna.random(300, 11);
    private static final FastaGenome GENOME = FastaGenome.fromRecords("test genome", List.of(new FastaRecord(CONTIG, "", DNA)));
    private static final Tokenizer TOK = new KmerTokenizer(3);

    private static SequenceModel model(int outputs, long seed) {
        TransformerConfig config = new TransformerConfig(TOK.vocabSize(), 16, 2, 2, 32, 64, 0f, true, Positions.LEARNED, 1e-5f);
        Generator gen = new Generator(seed);
        SequenceModel m = new SequenceModel(new Transformer(config, gen), new SequenceHead(16, outputs, SequenceHead.Pooling.MEAN, 0f, gen));
        m.eval();
        return m;
    }

    /** The model's outputs for one window alone: [K]. */
    private static float[] outputs(SequenceModel m, String window) {
        int[] ids = TOK.encodeWithSpecials(window);
        try (var off = GradMode.off()) {
            return m.forward(Tensor.ofInts(ids, 1, ids.length), null).data().toFloatArray();
        }
    }

    private static List<VcfVariant> variants() {
        String del = DNA.substring(119, 122), ins = DNA.substring(199, 200);
        return List.of(VcfVariant.of(CONTIG, 60, String.valueOf(DNA.charAt(59)), DNA.charAt(59) == 'A' ? "C" : "A"),
                VcfVariant.of(CONTIG, 120, del, del.substring(0, 1)), VcfVariant.of(CONTIG, 200, ins, ins + "GT"));
    }

    @Test
    void aClassifierScoresTheChangeInOneClasssLogOdds() {
        SequenceModel m = model(3, 4);
        VariantScorer.Result r = VariantScorer.ofPredictions(m, TOK, 1, true).score(GENOME, variants(), new VariantScorer.Settings(40, 2, List.of(), false, 1), null);
        assertEquals(ScoringMethod.PREDICTION_CHANGE, r.method());
        for (VariantScore s : r.scores()) {
            assertEquals(VariantScore.Status.OK, s.status(), s.note());
            VariantWindow w = VariantWindow.around(GENOME, CONTIG, s.pos() - 1, s.pos() - 1 + s.ref().length(), s.alt(), 40);
            double expected = logOdds(outputs(m, w.alt()), 1) - logOdds(outputs(m, w.ref()), 1);
            assertEquals(expected, s.score(), 1e-4, s.toString());
            assertTrue(Math.abs(s.score()) > 1e-6, "a random model's prediction moves: " + s);
        }
    }

    @Test
    void aRegressionHeadScoresTheChangeInOneTarget() {
        SequenceModel m = model(2, 5);
        VariantScorer.Result r = VariantScorer.ofPredictions(m, TOK, 1, false).score(GENOME, variants(), new VariantScorer.Settings(32, 8, List.of(), false, 1), null);
        for (VariantScore s : r.scores()) {
            VariantWindow w = VariantWindow.around(GENOME, CONTIG, s.pos() - 1, s.pos() - 1 + s.ref().length(), s.alt(), 32);
            assertEquals(outputs(m, w.alt())[1] - outputs(m, w.ref())[1], s.score(), 1e-4, s.toString());
        }
    }

    @Test
    void logOddsStayFiniteWhereProbabilitiesRoundToOne() {
        float[] logits = {200f, -200f, 0f};
        assertEquals(200 - Math.log(Math.exp(-400) + Math.exp(-200)) - 200, PredictionScorer.logOdds(logits, 0, 3, 0), 1e-9);
        assertEquals(logits[1] - logits[0], PredictionScorer.logOdds(new float[] {logits[0], logits[1]}, 0, 2, 1), 1e-9, "two classes: the logit difference");
        assertEquals(64, VariantScorer.ofPredictions(model(2, 6), TOK, 0, true).windowBases(0, 0),
                "a fine-tuned model's default window is the longest it takes: 64 bases are 62 overlapping 3-mers, [CLS] and [SEP]");
        assertThrows(IllegalArgumentException.class, () -> VariantScorer.ofPredictions(model(1, 7), TOK, 0, true));
        assertThrows(IllegalArgumentException.class, () -> VariantScorer.ofPredictions(model(2, 7), TOK, 2, false));
    }

    /** log(p_c / (1 − p_c)) from the softmax, computed the plain way. */
    private static double logOdds(float[] logits, int c) {
        double sum = 0;
        for (float z : logits) sum += Math.exp(z);
        double p = Math.exp(logits[c]) / sum;
        return Math.log(p / (1 - p));
    }
}

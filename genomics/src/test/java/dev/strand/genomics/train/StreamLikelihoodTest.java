package dev.strand.genomics.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.autograd.GradMode;
import dev.strand.genomics.metrics.LanguageModelMetrics;
import dev.strand.genomics.tokenize.NucleotideTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.transformer.GptModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.RecurrentMemory;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A stream read in pieces scores what the model gives for the whole sequence at once. */
class StreamLikelihoodTest {
    private static final Tokenizer TOKENIZER = new NucleotideTokenizer();

    private static String dna(int n) {
        Generator g = new Generator(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append("ACGT".charAt(g.nextInt(4)));
        return sb.toString();
    }

    /** Bits per base of [CLS] + dna, every base predicted, from one forward pass over {@code ids}. */
    private static double reference(GptModel model, int[] ids) {
        try (var noGrad = GradMode.off()) {
            model.eval();
            Tensor logits = model.logits(Tensor.ofInts(Arrays.copyOf(ids, ids.length - 1), 1, ids.length - 1), null).data();   // [1, n, V]
            var acc = new LanguageModelMetrics.Accumulator().add(logits.contiguous().toFloatArray(), Arrays.copyOfRange(ids, 1, ids.length), TOKENIZER.vocabSize());
            return acc.bitsPerBase(1);
        }
    }

    private static int[] withCls(String dna) {
        int[] body = TOKENIZER.encode(dna), ids = new int[body.length + 1];
        ids[0] = TOKENIZER.cls();
        System.arraycopy(body, 0, ids, 1, body.length);
        return ids;
    }

    @Test
    void aModelWithMemoryScoresTheStreamAsTheWholeSequence() {
        TransformerConfig config = new TransformerConfig(TOKENIZER.vocabSize(), 16, 2, 2, 32, 16, 0f, true, Positions.ROPE, 1e-5f)
                .withMemory(new RecurrentMemory(2, 16, -1, null));
        GptModel model = new GptModel(config, new Generator(3));
        String dna = dna(100);                                     // 101 tokens with [CLS]: 9 segments of 12
        StreamLikelihood stream = new StreamLikelihood(model, TOKENIZER);
        stream.add(dna.substring(0, 7));
        stream.add(dna.substring(7, 50));
        stream.add(dna.substring(50));
        StreamLikelihood.Result r = stream.finish();
        assertEquals(100, r.bases());
        assertEquals(100, r.scored());
        assertEquals(reference(model, withCls(dna)), r.bitsPerBase(), 1e-5);
    }

    @Test
    void aModelWithoutMemoryReadsConsecutiveWindows() {
        TransformerConfig config = new TransformerConfig(TOKENIZER.vocabSize(), 16, 2, 2, 32, 21, 0f, true, Positions.LEARNED, 1e-5f);
        GptModel model = new GptModel(config, new Generator(3));
        String dna = dna(50);                                      // windows of 20 bases: 20, 20, 10
        StreamLikelihood stream = new StreamLikelihood(model, TOKENIZER);
        stream.add(dna.substring(0, 33));
        stream.add(dna.substring(33));
        double total = 0;
        for (int from = 0; from < 50; from += 20) {
            String w = dna.substring(from, Math.min(50, from + 20));
            total += reference(model, withCls(w)) * w.length();
        }
        assertEquals(total / 50, stream.finish().bitsPerBase(), 1e-5);
    }
}

package dev.strand.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.Variable;
import dev.strand.nn.generate.Sampler;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.GptModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Models: naming, attention maps, KV-cache generation, masks, length errors. */
class ModelTest {
    private static TransformerConfig tiny(Positions p, boolean preNorm) {
        return new TransformerConfig(11, 16, 2, 4, 32, 40, 0f, preNorm, p, 1e-5f);
    }

    @Test
    void parametersHaveHierarchicalNamesAndTiedWeightsCountOnce() {
        BertModel bert = new BertModel(tiny(Positions.LEARNED, false), new Generator(1));
        var names = bert.namedParameters().keySet();
        assertTrue(names.contains("encoder.layers.0.attention.query.weight"), names.toString());
        assertTrue(names.contains("encoder.layers.1.ffn.linear2.bias"), names.toString());
        assertTrue(names.contains("mlm.bias") && !names.contains("mlm.decoder_weight"), "tied decoder weight is the token embedding");
        assertSame(bert.encoder.tokenEmbedding().weight, bert.mlm.decoderWeight);
        long expected = 11 * 16 + 40 * 16 + 2 * 16                 // tokens, positions, embedding norm
                + 2 * (4 * (16 * 16 + 16) + (16 * 32 + 32) + (32 * 16 + 16) + 4 * 16)   // layers
                + (16 * 16 + 16) + 2 * 16 + 11;                    // mlm dense, norm, bias
        assertEquals(expected, bert.parameterCount());
        bert.encoder.freeze(true);
        assertEquals(16 * 16 + 16 + 2 * 16 + 11, bert.trainableParameterCount());
    }

    @Test
    void attentionMapsAreRecordedOnlyWhenAsked() {
        BertModel bert = new BertModel(tiny(Positions.LEARNED, true), new Generator(2));
        Tensor ids = Tensor.ofInts(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
        Tensor padding = Tensor.ofInts(new int[] {0, 0, 0, 0, 0, 0, 1, 1}, 2, 4);
        bert.hidden(ids, padding);
        assertNull(bert.encoder.attentionMaps().get(0));
        bert.encoder.recordAttention(true);
        bert.hidden(ids, padding);
        List<Tensor> maps = bert.encoder.attentionMaps();
        assertEquals(2, maps.size());
        assertArrayEquals(new int[] {2, 4, 4, 4}, maps.get(1).shape());                   // [B, H, T, S]
        float[] rowSums = maps.get(0).sum(-1, false).toFloatArray();
        for (float s : rowSums) assertEquals(1f, s, 1e-5f);
        assertEquals(0f, maps.get(0).get(1, 2, 0, 3), 0f, "no attention to padded keys");
    }

    @Test
    void generationWithKvCacheMatchesFullRecomputation() {
        for (Positions p : Positions.values()) {
            GptModel gpt = new GptModel(tiny(p, true), new Generator(3));
            gpt.eval();
            int[] prompt = {1, 5, 2, 9};
            int[] cached = gpt.generate(prompt, 12, Sampler.GREEDY, new Generator(0), true);
            int[] full = gpt.generate(prompt, 12, Sampler.GREEDY, new Generator(0), false);
            assertArrayEquals(full, cached, "positions " + p);
            Sampler sampler = new Sampler(0.9f, 5, 0.95f);
            assertArrayEquals(gpt.generate(prompt, 12, sampler, new Generator(4), false),
                    gpt.generate(prompt, 12, sampler, new Generator(4), true), "sampled, positions " + p);
        }
    }

    @Test
    void causalMaskHidesTheFuture() {
        GptModel gpt = new GptModel(tiny(Positions.ROPE, true), new Generator(5));
        Tensor a = Tensor.ofInts(new int[] {1, 2, 3, 4, 5}, 1, 5), b = Tensor.ofInts(new int[] {1, 2, 3, 9, 9}, 1, 5);
        Tensor la = gpt.logits(a, null).data().narrow(1, 0, 3), lb = gpt.logits(b, null).data().narrow(1, 0, 3);
        assertArrayEquals(la.toFloatArray(), lb.toFloatArray(), 1e-5f);
    }

    @Test
    void tooLongSequencesAreAClearError() {
        BertModel bert = new BertModel(tiny(Positions.LEARNED, true), new Generator(6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bert.hidden(Tensor.ofInts(new int[41], 1, 41), null));
        assertTrue(e.getMessage().contains("41") && e.getMessage().contains("40"), e.getMessage());
        // ALiBi has no table of positions: it runs past its training length
        BertModel alibi = new BertModel(tiny(Positions.ALIBI, true), new Generator(6));
        assertArrayEquals(new int[] {1, 60, 16}, alibi.hidden(Tensor.ofInts(new int[60], 1, 60), null).shape());
    }

    @Test
    void mlmLossUsesOnlyLabelledPositionsAndTrains() {
        BertModel bert = new BertModel(tiny(Positions.LEARNED, true), new Generator(7));
        Tensor ids = Tensor.ofInts(new int[] {1, 2, 3, 4, 5, 6}, 1, 6);
        Tensor labels = Tensor.ofInts(new int[] {-100, 7, -100, -100, 3, -100}, 1, 6);
        Variable loss = bert.mlmLoss(ids, null, labels);
        Variable full = bert.mlmLogits(ids, null).reshape(6, 11).logSoftmax(1);
        float expected = -(full.data().get(1, 7) + full.data().get(4, 3)) / 2;
        assertEquals(expected, loss.item(), 1e-5f);
        loss.backward();
        assertTrue(bert.encoder.tokenEmbedding().weight.grad() != null);
    }
}

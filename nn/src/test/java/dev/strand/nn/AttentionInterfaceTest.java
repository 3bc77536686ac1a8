package dev.strand.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strand.autograd.GradMode;
import dev.strand.autograd.Shaping;
import dev.strand.autograd.Variable;
import dev.strand.nn.attention.Alibi;
import dev.strand.nn.attention.AttentionConfig;
import dev.strand.nn.attention.AttentionMask;
import dev.strand.nn.attention.MultiHeadAttention;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.Transformer;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.CausalMask;
import dev.strand.tensor.Device;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The attention interface, its mask description, the config that names it, and the encoder's two steps. */
class AttentionInterfaceTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void lengthsAndAPaddingMaskAreTheSameMask() {
        Tensor pad = Tensor.ofInts(new int[] {0, 0, 0, 1, 1, 0, 0, 0, 0, 0}, 2, 5);
        Tensor fromLengths = AttentionMask.lengths(new int[] {3, 5}, 5).denseBias(5, 5);          // [B, 1, 1, S]
        assertArrayEquals(new int[] {2, 1, 1, 5}, fromLengths.shape());
        assertArrayEquals(AttentionMask.keyPadding(pad).denseBias(5, 5).toFloatArray(), fromLengths.toFloatArray());
        float[] row0 = fromLengths.toFloatArray();
        assertEquals(0f, row0[2]);
        assertEquals(Float.NEGATIVE_INFINITY, row0[3]);
        assertNull(AttentionMask.none().denseBias(5, 5), "nothing to add");
        assertNull(AttentionMask.causal().denseBias(5, 5), "causality is a flag, not a bias");
    }

    @Test
    void alibiAfterCachedPositionsIsTheShiftedBias() {
        AttentionMask m = AttentionMask.causal().withAlibi(Alibi.slopes(4)).afterCached(3);
        Tensor bias = m.denseBias(2, 5);                                                           // [H, T, S]
        assertArrayEquals(Alibi.bias(4, 2, 5, 3).toFloatArray(), bias.toFloatArray());
        assertSame(bias, m.denseBias(2, 5), "built once, shared by every layer");
        assertTrue(m.isCausal());
        assertEquals(3, m.past());
    }

    @Test
    void theCausalMaskIsWrittenOnce() {
        // 2 queries after 2 cached positions: query 0 sees keys 0..2, query 1 sees 0..3.
        assertArrayEquals(new float[] {0, 0, 0, 1, 0, 0, 0, 0}, CausalMask.blocked(2, 4, Device.CPU).toFloatArray());
        assertArrayEquals(new float[4], CausalMask.blocked(1, 4, Device.CPU).toFloatArray(), "one query, the last position, sees every key");
        assertTrue(!CausalMask.blocksAny(1) && CausalMask.blocksAny(2), "so a decoding step skips the mask");
        float[] add = CausalMask.additive(3, 3, Device.CPU).toFloatArray();
        assertEquals(Float.NEGATIVE_INFINITY, add[1]);
        assertEquals(0f, add[3]);
        Tensor q = Tensor.randn(new Generator(1), 1, 2, 3, 4), k = Tensor.randn(new Generator(2), 1, 2, 3, 4);
        Tensor viaFlag = Tensor.attentionWeights(q, k, null, true, 0.5f);
        Tensor viaBias = Tensor.attentionWeights(q, k, CausalMask.additive(3, 3, Device.CPU), false, 0.5f);
        assertArrayEquals(viaBias.toFloatArray(), viaFlag.toFloatArray());
    }

    @Test
    void aConfigNamesItsAttentionAndOldConfigsLoadAsDense() throws Exception {
        TransformerConfig c = new TransformerConfig(11, 16, 2, 4, 32, 40, 0.1f, true, Positions.ROPE, 1e-5f);
        String json = JSON.writeValueAsString(c);
        assertTrue(json.contains("\"attention\":{\"kind\":\"dense\"}"), json);
        assertEquals(c, JSON.readValue(json, TransformerConfig.class));
        String before = "{\"vocabSize\":11,\"dim\":16,\"layers\":2,\"heads\":4,\"ffnDim\":32,\"maxLength\":40,\"dropout\":0.1,"
                + "\"preNorm\":true,\"positions\":\"ROPE\",\"layerNormEps\":1.0E-5}";
        TransformerConfig old = JSON.readValue(before, TransformerConfig.class);
        assertEquals(c, old);
        assertInstanceOf(AttentionConfig.Dense.class, old.attention());
        Transformer t = new Transformer(old, new Generator(1));
        assertInstanceOf(MultiHeadAttention.class, t.layers.get(0).attention);
    }

    @Test
    void encodingTheEmbeddingsOfIdsIsTheForwardPass() {
        Transformer t = new Transformer(new TransformerConfig(11, 16, 2, 4, 32, 40, 0f, false, Positions.LEARNED, 1e-5f), new Generator(3));
        Tensor ids = Tensor.ofInts(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4), pad = Tensor.ofInts(new int[] {0, 0, 0, 0, 0, 0, 0, 1}, 2, 4);
        try (var noGrad = GradMode.off()) {
            float[] forward = t.forward(ids, pad).data().toFloatArray();
            assertArrayEquals(forward, t.encode(t.embed(ids), AttentionMask.keyPadding(pad), null).data().toFloatArray());
            // A prefix of vectors before a segment: here the embeddings of the segment's own first tokens.
            Variable prefix = t.embed(ids.narrow(1, 0, 2)), rest = t.embed(ids.narrow(1, 2, 2));     // [B, 2, d] each
            Variable joined = Shaping.concat(List.of(prefix, rest), 1);                               // [B, 4, d]
            assertArrayEquals(forward, t.encode(joined, AttentionMask.keyPadding(pad), null).data().toFloatArray());
        }
    }
}

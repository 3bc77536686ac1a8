package dev.strand.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strand.autograd.Variable;
import dev.strand.nn.FeedForward;
import dev.strand.nn.attention.AttentionMask;
import dev.strand.nn.attention.MultiHeadAttention;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pieces published architectures need beyond Strand's default blocks, each against a scalar
 * reference or the equivalent unfused layer: gated MLPs, the fused query-key-value projection,
 * ESM's token dropout, both outer norms and token types, an untied MLM head, and configs.
 */
class ArchitectureTest {
    private static final float TOL = 1e-5f;

    @Test
    void gatedMlpsMultiplyTheActivatedGateByTheValueHalf() {
        Generator gen = new Generator(3);
        for (FeedForward.Kind kind : List.of(FeedForward.Kind.GEGLU, FeedForward.Kind.SWIGLU)) {
            FeedForward ffn = new FeedForward(4, 3, kind, false, true, 0f, gen);
            assertArrayEquals(new int[] {6, 4}, ffn.linear1.weight.shape(), "linear1 is [2h, d]");
            assertNull(ffn.linear1.bias);
            Tensor x = Tensor.randn(gen, 2, 5, 4);
            float[] got = ffn.forward(Variable.constant(x)).data().toFloatArray();
            float[] w1 = ffn.linear1.weight.data().toFloatArray(), w2 = ffn.linear2.weight.data().toFloatArray();
            float[] b2 = ffn.linear2.bias.data().toFloatArray(), in = x.toFloatArray();
            for (int row = 0; row < 10; row++) {
                double[] a = new double[3];
                for (int j = 0; j < 3; j++) {
                    double gate = 0, value = 0;
                    for (int i = 0; i < 4; i++) {
                        gate += w1[j * 4 + i] * in[row * 4 + i];
                        value += w1[(j + 3) * 4 + i] * in[row * 4 + i];
                    }
                    double act = kind == FeedForward.Kind.GEGLU ? 0.5 * gate * (1 + erf(gate / Math.sqrt(2))) : gate / (1 + Math.exp(-gate));
                    a[j] = act * value;
                }
                for (int o = 0; o < 4; o++) {
                    double y = b2[o];
                    for (int j = 0; j < 3; j++) y += w2[o * 3 + j] * a[j];
                    assertEquals(y, got[row * 4 + o], TOL, kind + " row " + row + " out " + o);
                }
            }
        }
    }

    @Test
    void aFusedProjectionGivesWhatThreeSeparateOnesGiveWithItsRowsSplit() {
        Generator gen = new Generator(5);
        MultiHeadAttention separate = new MultiHeadAttention(8, 2, 0f, null, gen);
        MultiHeadAttention fused = new MultiHeadAttention(8, 2, 0f, true, null, gen);
        assertNull(fused.query);
        assertTrue(fused.namedParameters().containsKey("qkv.weight"), fused.namedParameters().keySet().toString());
        List<dev.strand.nn.Linear> parts = List.of(separate.query, separate.key, separate.value);
        for (int p = 0; p < 3; p++) {
            fused.qkv.weight.data().narrow(0, 8 * p, 8).copyFrom(parts.get(p).weight.data());
            fused.qkv.bias.data().narrow(0, 8 * p, 8).copyFrom(parts.get(p).bias.data());
        }
        fused.output.weight.data().copyFrom(separate.output.weight.data());
        fused.output.bias.data().copyFrom(separate.output.bias.data());
        Tensor x = Tensor.randn(gen, 2, 6, 8);
        Tensor pad = Tensor.of(new float[] {0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0}, 2, 6);
        Variable input = Variable.constant(x);
        assertArrayEquals(separate.forward(input, AttentionMask.keyPadding(pad)).data().toFloatArray(),
                fused.forward(input, AttentionMask.keyPadding(pad)).data().toFloatArray(), TOL);
    }

    @Test
    void partialRotaryTurnsTheFirstFeaturesOfEachHeadAndPassesTheRest() {
        Generator gen = new Generator(9);
        Tensor x = Tensor.randn(gen, 1, 2, 3, 8);                                  // [B, H, T, hd]
        float[] got = new dev.strand.nn.attention.Rope(8, 500f, 4).apply(Variable.constant(x), 5).data().toFloatArray();
        float[] in = x.toFloatArray();
        for (int row = 0; row < 6; row++) {
            int pos = 5 + row % 3;
            for (int i = 0; i < 2; i++) {                                          // the pairs (i, i + 2) of the first 4 features
                double angle = pos * Math.pow(500, -2.0 * i / 4), c = Math.cos(angle), s = Math.sin(angle);
                double a = in[row * 8 + i], b = in[row * 8 + i + 2];
                assertEquals(a * c - b * s, got[row * 8 + i], TOL);
                assertEquals(b * c + a * s, got[row * 8 + i + 2], TOL);
            }
            for (int i = 4; i < 8; i++) assertEquals(in[row * 8 + i], got[row * 8 + i], 0f, "feature " + i + " passes through");
        }
        Architecture partial = Architecture.standard(true).withRotary(4, 500f);
        TransformerConfig c = new TransformerConfig(11, 16, 1, 2, 16, 10, 0f, true, Positions.ROPE, 1e-5f).withArchitecture(partial);
        assertArrayEquals(new int[] {1, 3, 11}, new BertModel(c, gen).mlmLogits(Tensor.ofInts(new int[] {1, 4, 2}, 1, 3), null).shape());
    }

    @Test
    void tokenDropoutZeroesMaskEmbeddingsAndScalesEachSequenceByItsMaskShare() {
        Tensor ids = Tensor.ofInts(new int[] {3, 2, 5, 6, 1, 3, 5, 6, 7, 8}, 2, 5);
        Tensor pad = Tensor.of(new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0, 0}, 2, 5);
        float[] scale = Transformer.tokenDropoutScale(ids, pad, 2).toFloatArray();
        float first = 0.88f / (1 - 1f / 4), second = 0.88f;    // one mask among 4 unpadded tokens; none among 5
        assertArrayEquals(new float[] {first, 0, first, first, first, second, second, second, second, second}, scale, 1e-6f);
    }

    @Test
    void bothOuterNormsAndTokenTypesAreOptionalAndNamedSoOldCheckpointsLoad() {
        TransformerConfig plain = new TransformerConfig(11, 8, 1, 2, 16, 10, 0f, true, Positions.LEARNED, 1e-5f);
        var names = new BertModel(plain, new Generator(1)).namedParameters().keySet();
        assertTrue(names.contains("encoder.norm.weight") && !names.contains("encoder.embedding_norm.weight"), names.toString());
        Architecture gena = new Architecture(true, true, 2, FeedForward.Kind.GELU, true, true, false, true, -1, List.of());
        var both = new BertModel(plain.withArchitecture(gena), new Generator(1)).namedParameters();
        assertTrue(both.containsKey("encoder.norm.weight") && both.containsKey("encoder.embedding_norm.weight"), both.keySet().toString());
        assertArrayEquals(new int[] {2, 8}, both.get("encoder.token_types.weight").shape());

        // The token-type row and the embedding norm act as BERT's: norm(word + position + type[0]).
        BertModel m = new BertModel(plain.withArchitecture(gena), new Generator(2));
        Transformer t = (Transformer) m.encoder;
        t.finalNorm.weight.data().fill(1f);
        Tensor ids = Tensor.ofInts(new int[] {4, 7}, 1, 2);
        Variable expected = t.embeddingNorm.forward(t.tokens.forward(ids).add(t.positions.weight.narrow(0, 0, 2))
                .add(t.tokenTypes.weight.narrow(0, 0, 1)));
        assertArrayEquals(expected.data().toFloatArray(), t.hiddenStates(ids, null).get(0).data().toFloatArray(), TOL);
    }

    @Test
    void anUntiedHeadHasItsOwnOutputMatrix() {
        Architecture esm = new Architecture(false, true, 0, FeedForward.Kind.SWIGLU, false, false, false, false, 2, List.of());
        TransformerConfig c = new TransformerConfig(11, 8, 1, 2, 6, 10, 0f, true, Positions.ROPE, 1e-5f).withArchitecture(esm);
        BertModel m = new BertModel(c, new Generator(1));
        assertNotSame(m.encoder.tokenEmbedding().weight, m.mlm.decoderWeight);
        assertTrue(m.namedParameters().containsKey("mlm.decoder_weight"));
        assertArrayEquals(new int[] {2, 4, 11}, m.mlmLogits(Tensor.ofInts(new int[] {3, 2, 5, 6, 1, 3, 5, 6}, 2, 4), null).shape());
    }

    @Test
    void configsRoundTripThroughJsonAndOldOnesLoadAsStandard() throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        Architecture a = new Architecture(true, false, 2, FeedForward.Kind.GEGLU, false, true, true, true, -1,
                List.of(List.of("encoder.layers.{i}.attention.qkv", "bert.encoder.layer.{i}.attention.self.Wqkv")));
        TransformerConfig c = new TransformerConfig(11, 8, 1, 2, 6, 10, 0f, false, Positions.ALIBI, 1e-12f).withArchitecture(a);
        assertEquals(c, json.readValue(json.writeValueAsBytes(c), TransformerConfig.class));
        assertEquals("bert.encoder.layer.3.attention.self.Wqkv.lora_A", a.moduleNames().toOther("encoder.layers.3.attention.qkv.lora_A"));

        String old = "{\"vocabSize\":11,\"dim\":8,\"layers\":1,\"heads\":2,\"ffnDim\":16,\"maxLength\":10,\"dropout\":0.0,"
                + "\"preNorm\":false,\"positions\":\"LEARNED\",\"layerNormEps\":1.0E-5}";
        Architecture loaded = json.readValue(old, TransformerConfig.class).architecture();
        assertEquals(Architecture.standard(false), loaded);
        assertTrue(loaded.embeddingNorm());
        assertFalse(loaded.finalNorm());
        assertEquals("bert.encoder.layer.0.attention.self.query", loaded.moduleNames().toOther("encoder.layers.0.attention.query"));
        assertThrows(IllegalArgumentException.class, () -> new Architecture(true, false, 0, null, true, true, false, true, -1, List.of(List.of("one"))));
    }

    /** erf to about 1e-7 (Abramowitz and Stegun 7.1.26 is too coarse for a 1e-5 check). */
    private static double erf(double x) {
        double sum = 0, term = x;
        for (int n = 0; n < 60; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}

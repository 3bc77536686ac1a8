package dev.strand.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.Variable;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.SequenceHead;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.nn.transformer.Transformer;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SequenceModelTest {
    private static final TransformerConfig CONFIG = new TransformerConfig(10, 8, 1, 2, 16, 12, 0f, true, Positions.LEARNED, 1e-5f);

    @Test
    void outputsOneVectorPerSequenceAndNamesParametersLikeBert() {
        Generator gen = new Generator(3);
        SequenceModel m = new SequenceModel(new Transformer(CONFIG, gen), new SequenceHead(8, 3, SequenceHead.Pooling.CLS, 0f, gen));
        Tensor ids = Tensor.ofInts(new int[] {2, 5, 6, 3, 2, 7, 3, 0}, 2, 4);
        Tensor pad = Tensor.of(new float[] {0, 0, 0, 0, 0, 0, 0, 1}, 2, 4);
        Variable out = m.forward(ids, pad);
        assertArrayEquals(new int[] {2, 3}, out.shape());

        // the encoder's parameter names are BertModel's, so pretrained weights load by name
        BertModel bert = new BertModel(CONFIG, new Generator(4));
        for (String name : m.namedParameters().keySet()) {
            assertTrue(name.startsWith("head.") || bert.namedParameters().containsKey(name), name);
        }
        assertEquals(m.encoder.parameterCount() + m.head.parameterCount(), m.parameterCount());

        // CLS pooling: the output depends on position 0 only through attention, and padding does not change it
        Tensor longer = Tensor.ofInts(new int[] {2, 5, 6, 3, 0, 2, 7, 3, 0, 0}, 2, 5);
        Tensor longerPad = Tensor.of(new float[] {0, 0, 0, 0, 1, 0, 0, 0, 1, 1}, 2, 5);
        m.eval();
        assertArrayEquals(m.forward(ids, pad).data().toFloatArray(), m.forward(longer, longerPad).data().toFloatArray(), 1e-5f);
    }

    @Test
    void hiddenStatesAreTheEmbeddingsThenEachLayerEndingWithForward() {
        Tensor ids = Tensor.ofInts(new int[] {2, 5, 6, 3, 2, 7, 3, 0}, 2, 4);
        Tensor pad = Tensor.of(new float[] {0, 0, 0, 0, 0, 0, 0, 1}, 2, 4);
        for (boolean preNorm : new boolean[] {true, false}) {
            TransformerConfig config = new TransformerConfig(10, 8, 2, 2, 16, 12, 0f, preNorm, Positions.LEARNED, 1e-5f);
            Transformer t = new Transformer(config, new Generator(9));
            java.util.List<Variable> states = t.hiddenStates(ids, pad);
            assertEquals(3, states.size(), "embeddings and two layers");
            assertArrayEquals(t.forward(ids, pad).data().toFloatArray(), states.get(2).data().toFloatArray(), "the last is forward's output");
            Variable embedded = t.tokens.forward(ids).add(t.positions.forward(Tensor.ofInts(new int[] {0, 1, 2, 3}, 4)));   // [B, T, d]
            if (!preNorm) embedded = t.embeddingNorm.forward(embedded);
            assertArrayEquals(embedded.data().toFloatArray(), states.get(0).data().toFloatArray(), "the first is the embeddings' output");
            var mask = dev.strand.nn.attention.AttentionMask.keyPadding(pad);
            assertArrayEquals(t.layers.get(0).forward(states.get(0), mask, null).data().toFloatArray(), states.get(1).data().toFloatArray(),
                    "each state is the previous one through its layer");
        }
    }

    @Test
    void meanPoolingSkipsPadding() {
        Variable hidden = Variable.constant(Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 100, 100}, 2, 5, 1));
        Tensor pad = Tensor.of(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, 2, 5);
        assertArrayEquals(new float[] {3, 7}, SequenceHead.meanPool(hidden, pad).data().toFloatArray(), 1e-6f);
    }

    @Test
    void headWidthMustMatchTheEncoder() {
        Generator gen = new Generator(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SequenceModel(new Transformer(CONFIG, gen), new SequenceHead(16, 2, SequenceHead.Pooling.MEAN, 0f, gen)));
        assertTrue(e.getMessage().contains("16") && e.getMessage().contains("8"), e.getMessage());
    }
}

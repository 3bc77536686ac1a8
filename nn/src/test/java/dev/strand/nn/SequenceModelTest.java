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
    void headWidthMustMatchTheEncoder() {
        Generator gen = new Generator(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SequenceModel(new Transformer(CONFIG, gen), new SequenceHead(16, 2, SequenceHead.Pooling.MEAN, 0f, gen)));
        assertTrue(e.getMessage().contains("16") && e.getMessage().contains("8"), e.getMessage());
    }
}

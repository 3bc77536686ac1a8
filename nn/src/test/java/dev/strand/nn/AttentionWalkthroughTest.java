package dev.strand.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.Variable;
import dev.strand.nn.attention.AttentionWalkthrough;
import dev.strand.nn.attention.MatrixFormat;
import dev.strand.nn.attention.MultiHeadAttention;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttentionWalkthroughTest {
    @Test
    void theDefaultExampleShowsSoftmaxOfFourteenAndTwelve() {
        List<AttentionWalkthrough.Step> steps = AttentionWalkthrough.example();
        assertEquals(8, steps.size());
        assertArrayEquals(new float[] {14, 12}, steps.get(5).value().select(0, 0).toFloatArray());
        assertArrayEquals(new float[] {0.8807971f, 0.1192029f}, steps.get(6).value().select(0, 0).toFloatArray(), 1e-6f);
        assertTrue(steps.get(6).explanation().contains("softmax([14, 12]) = [0.881, 0.119]"), steps.get(6).explanation());
        String table = MatrixFormat.format(steps.get(6).value(), steps.get(6).rows(), steps.get(6).columns());
        assertTrue(table.contains("0.881") && table.contains("key C"), table);
    }

    @Test
    void theWalkthroughIsTheSameArithmeticAsOneHeadOfMultiHeadAttention() {
        Generator g = new Generator(3);
        MultiHeadAttention mha = new MultiHeadAttention(4, 1, 0f, null, g);
        for (var lin : List.of(mha.query, mha.key, mha.value)) lin.bias.data().fill(0f);
        mha.output.weight.data().copyFrom(Tensor.of(new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, 4, 4));
        mha.output.bias.data().fill(0f);
        Tensor x = Tensor.randn(g, 3, 4);
        Tensor expected = mha.forward(Variable.constant(x.unsqueeze(0)), dev.strand.nn.attention.AttentionMask.none()).data().squeeze(0);
        // nn.Linear stores W as [out, in] and computes x·Wᵀ; the walkthrough writes x·W
        var steps = AttentionWalkthrough.walk(x, mha.query.weight.data().t(), mha.key.weight.data().t(), mha.value.weight.data().t(), List.of("A", "C", "G"));
        assertArrayEquals(expected.toFloatArray(), steps.get(7).value().toFloatArray(), 1e-5f);
    }
}

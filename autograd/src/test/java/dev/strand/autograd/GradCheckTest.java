package dev.strand.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every differentiable op against central finite differences, on awkward shapes, views and broadcasting. */
class GradCheckTest {
    private final Generator gen = new Generator(99);

    private Tensor randn(int... shape) {
        return Tensor.randn(gen, shape);
    }

    private Tensor positive(int... shape) {
        return Tensor.uniform(gen, 0.5f, 2f, shape);
    }

    /** Values at least 0.1 away from 0, so kinks (relu, max ties) stay outside the finite-difference step. */
    private Tensor awayFromZero(int... shape) {
        Tensor u = Tensor.uniform(gen, 0.1f, 2f, shape);
        return u.mul(Tensor.rand(gen, shape).gt(0.5f).mul(2f).sub(1f));
    }

    @Test
    void elementwiseWithBroadcasting() {
        GradCheck.check(v -> v.get(0).add(v.get(1)), randn(3, 1, 7), randn(5, 7));
        GradCheck.check(v -> v.get(0).sub(v.get(1)), randn(7), randn(2, 7));
        GradCheck.check(v -> v.get(0).mul(v.get(1)), randn(1, 17), randn(3, 1));
        GradCheck.check(v -> v.get(0).div(v.get(1)), randn(4, 7), positive(4, 1));
        GradCheck.check(v -> v.get(0).pow(v.get(1)), positive(3, 5), randn(5));
        GradCheck.check(v -> v.get(0).pow(3f).add(2f).mul(0.5f).sub(1f).div(3f), randn(7));
        GradCheck.check(v -> v.get(0).square().neg(), randn(2, 3));
    }

    @Test
    void unaryFunctions() {
        GradCheck.check(v -> v.get(0).exp(), randn(17));
        GradCheck.check(v -> v.get(0).abs(), awayFromZero(17));
        GradCheck.check(v -> v.get(0).log(), positive(17));
        GradCheck.check(v -> v.get(0).sqrt(), positive(17));
        GradCheck.check(v -> v.get(0).tanh(), randn(17));
        GradCheck.check(v -> v.get(0).sigmoid(), randn(17));
        GradCheck.check(v -> v.get(0).relu(), awayFromZero(33));
        GradCheck.check(v -> v.get(0).gelu(), randn(33));
        GradCheck.check(v -> Elementwise.dropout(v.get(0), 0.3f, 5, 17), randn(4, 9));
        GradCheck.check(v -> Elementwise.dropout(v.get(0).transpose(0, 1), 0.5f, 5, 17), randn(4, 9));
        GradCheck.check(v -> v.get(0).geluTanh(), randn(33));
        GradCheck.check(v -> v.get(0).maskedFill(Tensor.of(new float[] {1, 0, 0, 1, 0, 1, 1}, 7), -5f), randn(3, 7));
        Tensor cond = randn(3, 7).gt(0f);
        GradCheck.check(v -> Elementwise.where(cond, v.get(0), v.get(1)), randn(3, 7), randn(7));
    }

    /** cos and sin [t, half] of random angles: {cos, sin}. */
    private Tensor[] rotation(int t, int half) {
        float[] angles = randn(t, half).toFloatArray(), cos = new float[angles.length], sin = new float[angles.length];
        for (int i = 0; i < angles.length; i++) {
            cos[i] = (float) Math.cos(angles[i]);
            sin[i] = (float) Math.sin(angles[i]);
        }
        return new Tensor[] {Tensor.of(cos, t, half), Tensor.of(sin, t, half)};
    }

    @Test
    void linearLayersWithAndWithoutBias() {
        GradCheck.check(v -> LinearAlgebra.linear(v.get(0), v.get(1), v.get(2)), randn(2, 5, 7), randn(3, 7), randn(3));
        GradCheck.check(v -> LinearAlgebra.linear(v.get(0), v.get(1), null), randn(5, 7), randn(3, 7));
        GradCheck.check(v -> LinearAlgebra.linear(v.get(0).transpose(0, 1), v.get(1), v.get(2)), randn(7, 4), randn(3, 7), randn(3));   // a strided input
    }

    @Test
    void rotateHalfOnContiguousInputsAndHeadSplitViews() {
        Tensor[] r = rotation(5, 3);
        GradCheck.check(v -> Elementwise.rotateHalf(v.get(0), r[0], r[1]), randn(2, 5, 6));
        GradCheck.check(v -> Elementwise.rotateHalf(v.get(0).view(2, 5, 3, 6).transpose(1, 2), r[0], r[1]), randn(2, 5, 18));   // [B, H, T, hd] views
    }

    @Test
    void reductions() {
        GradCheck.check(v -> v.get(0).sum(1, false), randn(3, 7, 2));
        GradCheck.check(v -> v.get(0).sum(), randn(7, 3));
        GradCheck.check(v -> v.get(0).mean(0, true), randn(5, 3));
        GradCheck.check(v -> v.get(0).mean(), randn(17));
        GradCheck.check(v -> v.get(0).max(1, false), Tensor.of(new float[] {3, 1, 4, 1.5f, 5, 9, 2, 6, 5.3f, 3.5f, 8, 9.7f, 7, 0, 2.2f, 8.1f, 2.8f, 1.8f, 4.4f, 0.5f, 6.6f}, 3, 7));
        GradCheck.check(v -> v.get(0).var(1, false, true), randn(3, 7));
        GradCheck.check(v -> v.get(0).var(0, true, false), randn(7, 2));
    }

    @Test
    void batchedMatmulWithBroadcastBatchDims() {
        GradCheck.check(v -> v.get(0).matmul(v.get(1)), randn(7, 5), randn(5, 3));
        GradCheck.check(v -> v.get(0).matmul(v.get(1)), randn(2, 1, 3, 4), randn(3, 4, 5));
        GradCheck.check(v -> v.get(0).transpose(0, 1).matmul(v.get(1)), randn(4, 3), randn(4, 2));
        GradCheck.check(v -> v.get(0).matmul(v.get(1)), randn(5), randn(5, 3));
        GradCheck.check(v -> v.get(0).matmul(v.get(1)), randn(2, 3, 5), randn(5));
    }

    @Test
    void normalisation() {
        GradCheck.check(v -> v.get(0).softmax(-1), randn(3, 7));
        GradCheck.check(v -> v.get(0).softmax(0), randn(4, 3));
        GradCheck.check(v -> v.get(0).logSoftmax(1), randn(2, 5, 3));
        GradCheck.check(v -> v.get(0).layerNorm(v.get(1), v.get(2), 1e-5f), randn(4, 17), randn(17), randn(17));
        GradCheck.check(v -> v.get(0).layerNorm(null, null, 1e-5f), randn(3, 7));
    }

    @Test
    void viewsAndJoins() {
        GradCheck.check(v -> v.get(0).reshape(4, 3).mul(v.get(1)), randn(2, 6), randn(3));
        GradCheck.check(v -> v.get(0).permute(2, 0, 1).contiguous(), randn(2, 3, 4));
        GradCheck.check(v -> v.get(0).narrow(1, 1, 2), randn(3, 4));
        GradCheck.check(v -> v.get(0).expand(2, 3, 4), randn(3, 1));
        GradCheck.check(v -> v.get(0).unsqueeze(1).squeeze(1).transpose(0, 1), randn(3, 2));
        GradCheck.check(v -> Shaping.concat(List.of(v.get(0), v.get(1), v.get(0)), 0), randn(2, 3), randn(1, 3));
        GradCheck.check(v -> Shaping.stack(List.of(v.get(0), v.get(1)), 2), randn(2, 3), randn(2, 3));
        GradCheck.check(v -> v.get(0).split(1, 1, 3).get(1).mul(2f), randn(2, 4));
    }

    @Test
    void indexing() {
        Tensor ids = Tensor.ofInts(new int[] {3, 0, 3, 1, 4, 4}, 2, 3);
        GradCheck.check(v -> Indexing.embedding(v.get(0), ids), randn(5, 4));
        GradCheck.check(v -> v.get(0).indexSelect(1, Tensor.ofInts(new int[] {2, 2, 0})), randn(3, 4));
        GradCheck.check(v -> v.get(0).gather(1, Tensor.ofInts(new int[] {1, 1, 0, 3, 2, 2}, 3, 2)), randn(3, 4));
    }

    @Test
    void theCheckerCatchesAWrongGradient() {
        // a deliberately wrong backward (factor 3 instead of 2) must be reported
        assertThrows(AssertionError.class, () -> GradCheck.check(v -> {
            Variable x = v.get(0);
            Tensor out = x.data().square();
            return Variable.result("badSquare", out, g -> x.accumulate(g.mul(x.data()).mul(3f)), x);
        }, randn(5)));
    }
}

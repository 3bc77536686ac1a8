package dev.strand.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The attention op against finite differences and against the same attention composed from
 * matmul, softmax and masking variables, on awkward shapes (B 2, H 3, T 5, S 7, hd 4).
 */
class AttentionTest {
    private static final int B = 2, H = 3, T = 5, S = 7, HD = 4;
    private static final float SCALE = 0.5f;
    private final Generator gen = new Generator(7);

    private Tensor randn(int... shape) {
        return Tensor.randn(gen, shape);
    }

    /** The op under test; inputs q, k, v (and a bias when there are four). */
    private static Variable fused(List<Variable> in, boolean causal) {
        return Attention.attention(in.get(0), in.get(1), in.get(2), in.size() > 3 ? in.get(3) : null, causal, SCALE);
    }

    /** The same attention step by step, as the explicit path of MultiHeadAttention. */
    private static Variable composed(List<Variable> in, boolean causal) {
        Variable scores = in.get(0).matmul(in.get(1).transpose(-2, -1)).mul(SCALE);   // [B, H, T, S]
        if (in.size() > 3) scores = scores.add(in.get(3));
        int t = in.get(0).size(2), s = in.get(1).size(2);
        if (causal) {
            float[] m = new float[t * s];
            for (int i = 0; i < t; i++) for (int j = 0; j < s; j++) m[i * s + j] = j > s - t + i ? 1f : 0f;
            scores = scores.maskedFill(Tensor.of(m, t, s), Float.NEGATIVE_INFINITY);
        }
        return scores.softmax(-1).matmul(in.get(2));                                // [B, H, T, hd]
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor q = randn(B, H, T, HD), k = randn(B, H, S, HD), v = randn(B, H, S, HD);
        GradCheck.check(in -> fused(in, false), q, k, v);
        GradCheck.check(in -> fused(in, false), q, k, v, randn(B, 1, T, S));
        GradCheck.check(in -> fused(in, true), q, k, v);
        GradCheck.check(in -> fused(in, true), q, k, v, randn(H, 1, S));
        // strided views, as MultiHeadAttention's split heads are: [B, T, H, hd] transposed
        GradCheck.check(in -> fused(List.of(in.get(0).transpose(1, 2), in.get(1).transpose(1, 2), in.get(2)), true),
                randn(B, T, H, HD), randn(B, S, H, HD), v);
    }

    @Test
    void forwardAndGradientsMatchTheComposedOps() {
        float inf = Float.NEGATIVE_INFINITY;
        float[] pad = new float[B * S];
        for (int j = 4; j < S; j++) pad[S + j] = inf;                                // the second sequence has 3 padded keys
        Tensor padding = Tensor.of(pad, B, 1, 1, S);
        for (boolean causal : new boolean[] {false, true}) {
            sameAsComposed("no bias, causal " + causal, causal, null);
            sameAsComposed("padding mask, causal " + causal, causal, Variable.constant(padding));
            sameAsComposed("learned bias, causal " + causal, causal, Variable.param(randn(1, H, T, S)));
        }
    }

    private void sameAsComposed(String what, boolean causal, Variable bias) {
        Tensor q = randn(B, H, T, HD), k = randn(B, H, S, HD), v = randn(B, H, S, HD), w = randn(B, H, T, HD);
        List<Tensor> fusedGrads = gradients(in -> fused(in, causal), w, bias, q, k, v);
        List<Tensor> composedGrads = gradients(in -> composed(in, causal), w, bias, q, k, v);
        for (int i = 0; i < fusedGrads.size(); i++) assertClose(composedGrads.get(i), fusedGrads.get(i), what + ": result " + i);
    }

    /** The output of {@code f}, then the gradients of Σ w·f with respect to q, k, v and a bias that requires one. */
    private static List<Tensor> gradients(Function<List<Variable>, Variable> f, Tensor w, Variable bias, Tensor... qkv) {
        List<Variable> in = new ArrayList<>();
        for (Tensor t : qkv) in.add(Variable.param(t));
        Variable b = bias == null ? null : bias.requiresGrad() ? Variable.param(bias.data()) : bias;
        if (b != null) in.add(b);
        Variable out = f.apply(in);
        out.mul(Variable.constant(w)).sum().backward();
        List<Tensor> results = new ArrayList<>(List.of(out.data()));
        for (Variable x : in) if (x.requiresGrad()) results.add(x.grad());
        return results;
    }

    @Test
    void constantInputsGetNoGradient() {
        Variable q = Variable.param(randn(1, 2, 3, 4)), k = Variable.constant(randn(1, 2, 3, 4)), v = Variable.constant(randn(1, 2, 3, 4));
        Variable mask = Variable.constant(Tensor.zeros(3, 3));
        Attention.attention(q, k, v, mask, true, SCALE).sum().backward();
        assertArrayEquals(new int[] {1, 2, 3, 4}, q.grad().shape());
        assertNull(k.grad());
        assertNull(mask.grad());
    }

    @Test
    void rejectsShapesThatDoNotFit() {
        Variable q = Variable.param(randn(1, 2, 3, 4)), k = Variable.param(randn(1, 2, 5, 4));
        assertThrows(IllegalArgumentException.class, () -> Attention.attention(q, k, Variable.param(randn(1, 2, 5, 3)), null, false, SCALE));
        assertThrows(IllegalArgumentException.class, () -> Attention.attention(q, Variable.param(randn(1, 3, 5, 4)), k, null, false, SCALE));
        assertThrows(IllegalArgumentException.class, () -> Attention.attention(q, k, k, Variable.constant(Tensor.zeros(3, 4)), false, SCALE));
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= 1e-5 + 1e-5 * Math.abs(e[i]))) fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
        }
    }
}

package dev.strand.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strand.autograd.Variable;
import dev.strand.nn.attention.Alibi;
import dev.strand.nn.attention.AttentionMask;
import dev.strand.nn.attention.KvCache;
import dev.strand.nn.attention.MultiHeadAttention;
import dev.strand.nn.attention.Rope;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MultiHeadAttention gives the same output and gradients (within 1e-5) on its fused path
 * (recording off) as on its explicit path (recording on), with masks, ALiBi, rotary positions
 * and a KV cache; with attention dropout active the fused path drops out inside its kernel, with
 * the mask the explicit path's Dropout draws.
 */
class FusedAttentionPathTest {
    private static final int B = 2, T = 7, DIM = 12, HEADS = 3;

    /** Two identical layers (same seed: same weights and dropout stream); the second records its weights. */
    private static MultiHeadAttention[] twins(float dropout, Rope rope, boolean eval) {
        MultiHeadAttention fused = new MultiHeadAttention(DIM, HEADS, dropout, rope, new Generator(3));
        MultiHeadAttention explicit = new MultiHeadAttention(DIM, HEADS, dropout, rope, new Generator(3));
        explicit.recordAttention(true);
        if (eval) {
            fused.eval();
            explicit.eval();
        }
        return new MultiHeadAttention[] {fused, explicit};
    }

    /** Output, input gradient and every parameter gradient of Σ w·attention(x, mask). */
    private static List<Tensor> run(MultiHeadAttention m, Tensor x, AttentionMask mask, Tensor w) {
        Variable in = Variable.param(x);
        Variable out = m.forward(in, mask);
        out.mul(Variable.constant(w)).sum().backward();
        List<Tensor> r = new ArrayList<>(List.of(out.data(), in.grad()));
        for (Variable p : m.parameters()) r.add(p.grad());
        return r;
    }

    private static void samePaths(String what, float dropout, Rope rope, boolean eval, AttentionMask mask) {
        Generator g = new Generator(11);
        Tensor x = Tensor.randn(g, B, T, DIM), w = Tensor.randn(g, B, T, DIM);
        MultiHeadAttention[] m = twins(dropout, rope, eval);
        List<Tensor> fused = run(m[0], x, mask, w), explicit = run(m[1], x, mask, w);
        assertNull(m[0].lastAttention(), what + ": nothing recorded");
        assertNotNull(m[1].lastAttention(), what + ": weights recorded");
        for (int i = 0; i < fused.size(); i++) assertClose(explicit.get(i), fused.get(i), what + ": result " + i);
    }

    @Test
    void fusedAndExplicitPathsAgree() {
        float[] pad = new float[B * T];
        for (int j = 5; j < T; j++) pad[T + j] = 1f;                                   // the second sequence has 2 pads
        AttentionMask padding = AttentionMask.keyPadding(Tensor.of(pad, B, T));
        AttentionMask causalAlibi = AttentionMask.causal().withAlibi(Alibi.slopes(HEADS));
        samePaths("no mask, dropout 0 in training", 0f, null, false, AttentionMask.none());
        samePaths("padding mask, eval with dropout 0.3", 0.3f, null, true, padding);
        samePaths("causal ALiBi", 0f, null, false, causalAlibi);
        samePaths("rotary, causal", 0f, new Rope(DIM / HEADS), false, AttentionMask.causal());
    }

    @Test
    void activeDropoutDrawsTheSameMaskInsideTheFusedKernel() {
        // Identical results only if the unrecorded layer drops out the same weights as the recording one.
        samePaths("dropout 0.5 in training", 0.5f, null, false, AttentionMask.none());
        float[] pad = new float[B * T];
        for (int j = 4; j < T; j++) pad[j] = 1f;                                       // the first sequence has 3 pads
        samePaths("dropout 0.1, padding, rotary", 0.1f, new Rope(DIM / HEADS), false, AttentionMask.keyPadding(Tensor.of(pad, B, T)));
        samePaths("dropout 0.2, causal ALiBi", 0.2f, null, false, AttentionMask.causal().withAlibi(Alibi.slopes(HEADS)));
    }

    @Test
    void kvCacheStepsAgree() {
        Tensor x = Tensor.randn(new Generator(5), B, T, DIM);
        MultiHeadAttention[] m = twins(0f, new Rope(DIM / HEADS), true);
        List<Tensor> fused = generate(m[0], x), explicit = generate(m[1], x);
        for (int s = 0; s < fused.size(); s++) assertClose(explicit.get(s), fused.get(s), "cached step " + s);
    }

    /** Outputs for a 3-token prompt, then 2 tokens at once (T < S, causal), then one token at a time. */
    private static List<Tensor> generate(MultiHeadAttention m, Tensor x) {
        KvCache cache = new KvCache();
        List<Tensor> outs = new ArrayList<>();
        for (int at = 0, step = 3; at < T; at += step, step = at == 3 ? 2 : 1) {
            AttentionMask mask = AttentionMask.causal().withAlibi(Alibi.slopes(HEADS)).afterCached(at);
            outs.add(m.forward(Variable.constant(x.narrow(1, at, step)), mask, cache).data());   // [B, step, d]
        }
        return outs;
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= 1e-5 + 1e-5 * Math.abs(e[i]))) fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
        }
    }
}

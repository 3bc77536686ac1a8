package dev.strand.tensor.cpu;

import static dev.strand.tensor.Assertions2.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.DropoutMask;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CPU's fused dense attention (forward and backward, vector and scalar, weights recomputed or
 * kept from the forward pass, with and without dropout) against the composed reference that materialises them: plain, padded, ALiBi-like, causal with and without
 * cached keys, head-split views, several row blocks, and a row with every key hidden.
 */
class DenseAttentionTest {
    private final int savedBudget = DenseAttention.budget;

    @AfterEach
    void restoreBudget() {
        DenseAttention.budget = savedBudget;
    }

    /** Fused forward and backward of the default (vector) and scalar CPU backends against the composed reference. */
    private static void check(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, String what) {
        check(q, k, v, bias, causal, (float) (1 / Math.sqrt(q.size(3))), what);
    }

    private static void check(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale, String what) {
        Generator gen = new Generator(7);
        Tensor gOut = Tensor.randn(gen, q.shape());
        Tensor expectedOut = Tensor.attentionWeights(q, k, bias, causal, scale).matmul(v);                 // composed
        Tensor[] expected = Tensor.attentionBackward(q, k, v, bias, causal, scale, gOut, null, null, true);    // composed (scores' gradient asked)
        Tensor[] fused = Tensor.attentionBackward(q, k, v, bias, causal, scale, gOut, null, null, false);      // the backend's kernel
        assertClose(expectedOut, Tensor.attention(q, k, v, bias, causal, scale), 1e-4, 1e-5, what + ": output");
        String[] names = {"dq", "dk", "dv"};
        for (int i = 0; i < 3; i++) assertClose(expected[i], fused[i], 1e-4, 1e-5, what + ": " + names[i]);

        // Training keeps the weights: the forward hands them out, and backward from them gives the same gradients.
        Tensor[] kept = Tensor.attentionKeepingWeights(q, k, v, bias, causal, scale, null);
        assertClose(expectedOut, kept[0], 1e-4, 1e-5, what + ": output, weights kept");
        assertClose(Tensor.attentionWeights(q, k, bias, causal, scale), kept[1], 1e-4, 1e-6, what + ": kept weights");
        Tensor[] fromKept = Tensor.attentionBackward(q, k, v, bias, causal, scale, gOut, kept[1], null, false);
        for (int i = 0; i < 3; i++) assertClose(expected[i], fromKept[i], 1e-4, 1e-5, what + ": " + names[i] + " from kept weights");

        // Dropout inside the kernel: the weights that multiply v are weights.dropout(…), bit for bit the same mask.
        DropoutMask drop = new DropoutMask(0.3f, 11, 5);
        Tensor[] dropped = Tensor.attentionKeepingWeights(q, k, v, bias, causal, scale, drop);
        Tensor droppedWeights = Tensor.attentionWeights(q, k, bias, causal, scale).dropout(drop.p(), drop.seed(), drop.counter());
        assertClose(droppedWeights.matmul(v), dropped[0], 1e-4, 1e-5, what + ": output with dropout");
        Tensor[] expectedDropped = Tensor.attentionBackward(q, k, v, bias, causal, scale, gOut, dropped[1], drop, true);   // composed
        Tensor[] fusedDropped = Tensor.attentionBackward(q, k, v, bias, causal, scale, gOut, dropped[1], drop, false);
        for (int i = 0; i < 3; i++) assertClose(expectedDropped[i], fusedDropped[i], 1e-4, 1e-5, what + ": " + names[i] + " with dropout");

        CpuBackend scalar = CpuBackend.scalar();
        Tensor out = Tensor.zeros(q.shape());
        Tensor[] grads = {Tensor.zeros(q.shape()), Tensor.zeros(k.shape()), Tensor.zeros(v.shape())};
        scalar.attention(q, k, v, bias, causal, scale, out);
        scalar.attentionBackward(q, k, v, bias, causal, scale, gOut, null, null, grads[0], grads[1], grads[2]);
        assertClose(expectedOut, out, 1e-4, 1e-5, what + ": scalar output");
        for (int i = 0; i < 3; i++) assertClose(expected[i], grads[i], 1e-4, 1e-5, what + ": scalar " + names[i]);
    }

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape);
    }

    @Test
    void plainAttentionWithAnOddHeadWidth() {
        check(randn(1, 2, 3, 19, 5), randn(2, 2, 3, 19, 5), randn(3, 2, 3, 19, 5), null, false, "plain");
    }

    @Test
    void aNegativeScaleToo() {
        check(randn(20, 1, 2, 9, 4), randn(21, 1, 2, 9, 4), randn(22, 1, 2, 9, 4), null, true, -0.7f, "negative scale");
    }

    @Test
    void paddedKeysAndTheCausalMask() {
        int b = 2, h = 2, t = 23, hd = 16;
        float[] pad = new float[b * t];
        for (int s = t - 5; s < t; s++) pad[t + s] = Float.NEGATIVE_INFINITY;   // row 1: last 5 keys are padding
        Tensor bias = Tensor.of(pad, b, 1, 1, t);
        Tensor q = randn(4, b, h, t, hd), k = randn(5, b, h, t, hd), v = randn(6, b, h, t, hd);
        check(q, k, v, bias, false, "padded");
        check(q, k, v, null, true, "causal");
        check(q, k, v, bias, true, "padded and causal");
    }

    @Test
    void perHeadBiasAndCachedKeys() {
        int h = 3, t = 7, s = 12, hd = 8;
        Tensor bias = randn(7, 1, h, t, s);                                           // ALiBi-like: per head, per query, per key
        check(randn(8, 2, h, t, hd), randn(9, 2, h, s, hd), randn(10, 2, h, s, hd), bias, true, "cached keys");
    }

    @Test
    void headSplitViewsNeedNoCopy() {
        int b = 2, t = 17, h = 4, hd = 6, d = h * hd;
        Tensor q = randn(11, b, t, d).view(b, t, h, hd).transpose(1, 2);             // [B, H, T, hd], row stride d
        Tensor k = randn(12, b, t, d).view(b, t, h, hd).transpose(1, 2);
        Tensor v = randn(13, b, t, d).view(b, t, h, hd).transpose(1, 2);
        assertTrue(!q.isContiguous());
        check(q, k, v, null, false, "views");
    }

    @Test
    void severalRowBlocksGiveTheSameResult() {
        DenseAttention.budget = 100;                                                  // blocks of MIN_ROWS = 64 rows: 150 = 64 + 64 + 22
        int t = 150, hd = 8;
        check(randn(14, 1, 2, t, hd), randn(15, 1, 2, t, hd), randn(16, 1, 2, t, hd), null, true, "row blocks");
    }

    @Test
    void aRowWithEveryKeyHiddenIsNaNAsComposed() {
        int t = 5, hd = 4;
        float[] bias = new float[t * t];
        java.util.Arrays.fill(bias, 2 * t, 3 * t, Float.NEGATIVE_INFINITY);           // query 2 sees nothing
        Tensor q = randn(17, 1, 1, t, hd), k = randn(18, 1, 1, t, hd), v = randn(19, 1, 1, t, hd);
        Tensor out = Tensor.attention(q, k, v, Tensor.of(bias, t, t), false, 0.5f);
        assertTrue(Float.isNaN(out.get(0, 0, 2, 0)), "the hidden row is NaN");
        assertTrue(!Float.isNaN(out.get(0, 0, 1, 0)), "the others are not");
    }
}

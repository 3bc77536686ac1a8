package dev.strand.opencl;

import static dev.strand.opencl.TestDevice.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.tensor.Device;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fused attention kernel against softmax(q·kᵀ·scale + bias)·v composed from CPU ops. */
class FusedAttentionTest {
    private static Device dev;

    @BeforeAll
    static void device() {
        dev = TestDevice.require();
    }

    /** The reference: scores materialised on the CPU. */
    private static Tensor reference(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale) {
        Tensor scores = q.matmul(k.transpose(-2, -1)).mul(scale);                        // [B, H, T, S]
        if (bias != null) scores = scores.add(bias);
        if (causal) {
            int t = q.size(2), s = k.size(2);
            float[] m = new float[t * s];
            for (int i = 0; i < t; i++) for (int j = 0; j < s; j++) m[i * s + j] = j > i + (s - t) ? 1f : 0f;
            scores = scores.maskedFill(Tensor.of(m, t, s), Float.NEGATIVE_INFINITY);
        }
        return scores.softmax(-1).matmul(v);
    }

    private static void compare(String what, int b, int h, int t, int s, int hd, boolean causal, Tensor bias) {
        Generator g = new Generator(b * 1000 + t * 10 + s + hd);
        Tensor q = Tensor.uniform(g, -1f, 1f, b, h, t, hd), k = Tensor.uniform(g, -1f, 1f, b, h, s, hd), v = Tensor.uniform(g, -1f, 1f, b, h, s, hd);
        float scale = (float) (1 / Math.sqrt(hd));
        Tensor expected = reference(q, k, v, bias, causal, scale);
        Tensor actual = TestDevice.backend().attention(q.to(dev), k.to(dev), v.to(dev), bias == null ? null : bias.to(dev), causal, scale);
        assertClose(expected, actual, 1e-4, 1e-5, what);
    }

    @Test
    void matchesComposedAttentionOnAwkwardShapes() {
        for (int t : new int[] {1, 7, 33, 129}) {
            for (int hd : new int[] {1, 8, 64}) {
                compare("T " + t + " hd " + hd, 2, 3, t, t, hd, false, null);
                compare("causal T " + t + " hd " + hd, 1, 2, t, t, hd, true, null);
            }
        }
        compare("one query against a 33-key cache, causal", 2, 2, 1, 33, 16, true, null);
        compare("7 queries against 40 keys, causal", 1, 2, 7, 40, 16, true, null);
    }

    @Test
    void addsPaddingMasksAndAlibiBiases() {
        float inf = Float.NEGATIVE_INFINITY;
        float[] pad = new float[2 * 9];
        for (int j = 6; j < 9; j++) pad[9 + j] = inf;                                    // the second sequence has 3 pads
        Tensor padding = Tensor.of(pad, 2, 1, 1, 9);
        compare("key padding mask [B, 1, 1, S]", 2, 3, 9, 9, 8, false, padding);
        Tensor slopes = Tensor.of(new float[] {-0.5f, -0.25f, -0.125f}, 1, 3, 1, 1);
        float[] dist = new float[9 * 9];
        for (int i = 0; i < 9; i++) for (int j = 0; j < 9; j++) dist[i * 9 + j] = Math.abs(i - j);
        Tensor alibi = slopes.mul(Tensor.of(dist, 9, 9));                                // [1, H, T, S]
        compare("ALiBi bias, causal", 2, 3, 9, 9, 8, true, alibi);
        float[] all = new float[9];
        java.util.Arrays.fill(all, inf);
        compare("a fully masked row is NaN", 1, 1, 3, 9, 4, false, Tensor.of(all, 1, 1, 1, 9));
    }

    @Test
    void rejectsMismatchedShapesAndCpuTensors() {
        Tensor q = Tensor.zeros(1, 1, 4, 8).to(dev), k = Tensor.zeros(1, 1, 5, 8).to(dev);
        OpenClBackend b = TestDevice.backend();
        assertThrows(IllegalArgumentException.class, () -> b.attention(q, k, Tensor.zeros(1, 1, 5, 7).to(dev), null, false, 1f));
        assertThrows(IllegalArgumentException.class, () -> b.attention(q, k, Tensor.zeros(1, 1, 5, 8), null, false, 1f));
        assertThrows(IllegalArgumentException.class, () -> b.attention(q, k, k, Tensor.zeros(1, 1, 4, 3).to(dev), false, 1f));
    }
}

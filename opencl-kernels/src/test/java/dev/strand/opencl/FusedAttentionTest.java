package dev.strand.opencl;

import static dev.strand.opencl.TestDevice.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.autograd.Attention;
import dev.strand.autograd.Variable;
import dev.strand.tensor.Device;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attention on the device (the fused kernel, or the composed default past its head-dim limit)
 * against the CPU backend's composed softmax(q·kᵀ·scale + bias)·v, forward and backward.
 */
class FusedAttentionTest {
    private static Device dev;

    @BeforeAll
    static void device() {
        dev = TestDevice.require();
    }

    private static Tensor[] qkv(int b, int h, int t, int s, int hd) {
        Generator g = new Generator(b * 1000 + t * 10 + s + hd);
        return new Tensor[] {Tensor.uniform(g, -1f, 1f, b, h, t, hd), Tensor.uniform(g, -1f, 1f, b, h, s, hd), Tensor.uniform(g, -1f, 1f, b, h, s, hd)};
    }

    private static void compare(String what, int b, int h, int t, int s, int hd, boolean causal, Tensor bias) {
        Tensor[] x = qkv(b, h, t, s, hd);
        float scale = (float) (1 / Math.sqrt(hd));
        TestDevice.same(what, 1e-4, 1e-5, on -> Tensor.attention(on.t(x[0]), on.t(x[1]), on.t(x[2]), bias == null ? null : on.t(bias), causal, scale));
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
        compare("head dim 130, past the kernel's limit: the composed default", 1, 2, 7, 9, 130, true, null);
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
        compare("ALiBi bias [H, T, S] without the batch dim", 2, 3, 9, 9, 8, false, alibi.squeeze(0));
        float[] all = new float[9];
        java.util.Arrays.fill(all, inf);
        compare("a fully masked row is NaN", 1, 1, 3, 9, 4, false, Tensor.of(all, 1, 1, 1, 9));
    }

    /** Output and gradients of q, k, v and the bias for Σ w·attention, on {@code device}. */
    private static List<Tensor> gradients(Device device, Tensor[] x, Tensor bias, boolean causal, Tensor w) {
        List<Variable> in = new ArrayList<>();
        for (Tensor t : x) in.add(Variable.param(t.to(device)));
        in.add(Variable.param(bias.to(device)));
        Variable out = Attention.attention(in.get(0), in.get(1), in.get(2), in.get(3), causal, 0.3f);
        out.backward(w.to(device), false);
        List<Tensor> r = new ArrayList<>(List.of(out.data()));
        for (Variable v : in) r.add(v.grad());
        return r;
    }

    @Test
    void gradientsMatchTheCpu() {
        int[][] shapes = {{2, 3, 7, 33, 8}, {1, 2, 33, 33, 17}, {2, 1, 1, 7, 1}, {1, 1, 5, 5, 130}};   // B, H, T, S, hd
        for (int[] sh : shapes) {
            for (boolean causal : new boolean[] {false, true}) {
                Tensor[] x = qkv(sh[0], sh[1], sh[2], sh[3], sh[4]);
                Generator g = new Generator(sh[2]);
                Tensor bias = Tensor.uniform(g, -1f, 1f, 1, sh[1], sh[2], sh[3]), w = Tensor.uniform(g, -1f, 1f, sh[0], sh[1], sh[2], sh[4]);
                List<Tensor> cpu = gradients(Device.CPU, x, bias, causal, w), device = gradients(dev, x, bias, causal, w);
                String what = java.util.Arrays.toString(sh) + (causal ? " causal" : "");
                for (int i = 0; i < cpu.size(); i++) {
                    assertEquals(dev, device.get(i).device(), what + ": result " + i + " device");
                    assertClose(cpu.get(i), device.get(i), 1e-4, 1e-5, what + ": result " + i);
                }
            }
        }
    }

    @Test
    void rejectsMismatchedShapesAndCpuTensors() {
        Tensor q = Tensor.zeros(1, 1, 4, 8).to(dev), k = Tensor.zeros(1, 1, 5, 8).to(dev);
        assertThrows(IllegalArgumentException.class, () -> Tensor.attention(q, k, Tensor.zeros(1, 1, 5, 7).to(dev), null, false, 1f));
        assertThrows(IllegalArgumentException.class, () -> Tensor.attention(q, k, Tensor.zeros(1, 1, 5, 8), null, false, 1f));
        assertThrows(IllegalArgumentException.class, () -> Tensor.attention(q, k, k, Tensor.zeros(1, 1, 4, 3).to(dev), false, 1f));
    }
}

package dev.strand.opencl;

import static dev.strand.opencl.TestDevice.same;

import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Softmax, log-softmax and layer norm, forward and backward, against the CPU. */
class NormParityTest {
    private static final int[] SIZES = {1, 7, 33, 129, 300};

    @BeforeAll
    static void device() {
        TestDevice.require();
    }

    @Test
    void softmaxForwardAndBackwardOverLastAndMiddleDims() {
        Generator g = new Generator(8);
        for (int n : SIZES) {
            Tensor x = Tensor.uniform(g, -20f, 20f, 3, n, 4), gy = Tensor.uniform(g, -1f, 1f, 3, n, 4);
            for (boolean log : new boolean[] {false, true}) {
                for (int dim : new int[] {1, 2}) {
                    String what = (log ? "logSoftmax" : "softmax") + " dim " + dim + " of [3, " + n + ", 4]";
                    // log-softmax cancels x against max + log Σ exp: absolute error ~ ulp(20)
                    same(what, 1e-5, 1e-5, on -> log ? on.t(x).logSoftmax(dim) : on.t(x).softmax(dim));
                    same(what + " backward", 1e-4, 1e-5, on -> {
                        Tensor y = log ? on.t(x).logSoftmax(dim) : on.t(x).softmax(dim);
                        return y.softmaxBackward(on.t(gy), dim, log);
                    });
                }
                same("softmax of a transposed view", 1e-5, 1e-6, on -> on.t(x).transpose(0, 2).softmax(-1));
            }
        }
    }

    @Test
    void softmaxWithMaskedPositionsAndHugeLogits() {
        float inf = Float.NEGATIVE_INFINITY;
        Tensor x = Tensor.of(new float[] {1000f, 999f, inf, 3f, /**/ inf, 0f, 1f, inf, /**/ inf, inf, inf, inf}, 3, 4);
        same("masked softmax (a fully masked row is NaN, as on the CPU)", 1e-6, 1e-7, on -> on.t(x).softmax(1));
        same("masked logSoftmax", 1e-6, 1e-7, on -> on.t(x).narrow(0, 0, 2).logSoftmax(1));
    }

    @Test
    void layerNormForwardAndBackward() {
        Generator g = new Generator(9);
        for (int n : SIZES) {
            Tensor x = Tensor.uniform(g, -2f, 2f, 5, n).add(3f), w = Tensor.uniform(g, 0.5f, 1.5f, n), b = Tensor.uniform(g, -1f, 1f, n);
            Tensor gy = Tensor.uniform(g, -1f, 1f, 5, n);
            for (boolean affine : new boolean[] {false, true}) {
                String what = "layerNorm [5, " + n + "]" + (affine ? " with weight and bias" : "");
                same(what, 1e-4, 1e-5, on -> on.t(x).layerNorm(affine ? on.t(w) : null, affine ? on.t(b) : null, 1e-5f).out());
                same(what + " mean", 1e-5, 1e-6, on -> on.t(x).layerNorm(null, null, 1e-5f).mean());
                same(what + " rstd", 1e-4, 1e-6, on -> on.t(x).layerNorm(null, null, 1e-5f).rstd());
                for (int part = 0; part < 3; part++) {
                    int p = part;
                    if (!affine && p > 0) continue;
                    same(what + " backward " + new String[] {"input", "weight", "bias"}[p], 1e-3, 1e-4, on -> {
                        Tensor xs = on.t(x), ws = affine ? on.t(w) : null;
                        Tensor.LayerNormResult fwd = xs.layerNorm(ws, affine ? on.t(b) : null, 1e-5f);
                        Tensor.LayerNormGrads grads = xs.layerNormBackward(ws, fwd, on.t(gy), affine, affine);
                        return p == 0 ? grads.input() : p == 1 ? grads.weight() : grads.bias();
                    });
                }
            }
            same("layerNorm of a transposed view", 1e-4, 1e-5, on -> on.t(x).t().contiguous().t().layerNorm(on.t(w), on.t(b), 1e-5f).out());
        }
        // Many rows over few columns: the weight and bias gradients are summed in pieces of rows.
        Tensor x = Tensor.uniform(g, -2f, 2f, 2049, 7), w = Tensor.uniform(g, 0.5f, 1.5f, 7), gy = Tensor.uniform(g, -1f, 1f, 2049, 7);
        for (int part = 1; part < 3; part++) {
            int p = part;
            same("layerNorm [2049, 7] backward " + (p == 1 ? "weight" : "bias"), 1e-3, 1e-4, on -> {
                Tensor ws = on.t(w);
                Tensor.LayerNormGrads grads = on.t(x).layerNormBackward(ws, on.t(x).layerNorm(ws, on.t(w), 1e-5f), on.t(gy), true, true);
                return p == 1 ? grads.weight() : grads.bias();
            });
        }
    }
}

package dev.strand.tensor.cpu;

import static dev.strand.tensor.Assertions2.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The fused rotary rotation against the formula written out per element, vector and scalar, on views; bad shapes named. */
class RotateHalfTest {
    private final Generator gen = new Generator(5);

    /** The rotation per element, in doubles: x [.., T, D] (contiguous) with tables [T, D/2]. */
    private static float[] reference(float[] x, int t, int d, float[] cos, float[] sin) {
        int half = d / 2;
        float[] out = new float[x.length];
        for (int row = 0; row < x.length / d; row++) {
            int p = row % t;
            for (int i = 0; i < half; i++) {
                double a = x[row * d + i], b = x[row * d + half + i], c = cos[p * half + i], s = sin[p * half + i];
                out[row * d + i] = (float) (a * c - b * s);
                out[row * d + half + i] = (float) (b * c + a * s);
            }
        }
        return out;
    }

    @Test
    void matchesTheFormulaOnHeadSplitViewsVectorAndScalar() {
        int b = 2, t = 7, h = 3, hd = 20;                                            // hd/2 = 10: a full vector and a tail on AVX2
        Tensor x = Tensor.randn(gen, b, t, h * hd).view(b, t, h, hd).transpose(1, 2);   // [B, H, T, hd], not contiguous
        assertTrue(!x.isContiguous());
        Tensor cos = Tensor.randn(gen, t, hd / 2), sin = Tensor.randn(gen, t, hd / 2);
        float[] expected = reference(x.contiguous().toFloatArray(), t, hd, cos.toFloatArray(), sin.toFloatArray());
        assertClose(expected, x.rotateHalf(cos, sin).toFloatArray(), 1e-6, 1e-6, "vector");
        Tensor out = Tensor.zeros(b, h, t, hd);
        CpuBackend.scalar().rotateHalf(x, cos, sin, out);
        assertClose(expected, out.toFloatArray(), 1e-6, 1e-6, "scalar");
    }

    @Test
    void rotatingBackUndoesIt() {
        float[] angles = Tensor.randn(gen, 5, 4).toFloatArray(), c = new float[20], s = new float[20];
        for (int i = 0; i < 20; i++) {
            c[i] = (float) Math.cos(angles[i]);
            s[i] = (float) Math.sin(angles[i]);
        }
        Tensor cos = Tensor.of(c, 5, 4), sin = Tensor.of(s, 5, 4), x = Tensor.randn(gen, 3, 5, 8);
        assertClose(x, x.rotateHalf(cos, sin).rotateHalf(cos, sin.neg()), 1e-5, 1e-5, "round trip");
    }

    @Test
    void badShapesAreNamed() {
        Tensor x = Tensor.zeros(2, 5, 7);
        var e = assertThrows(IllegalArgumentException.class, () -> x.rotateHalf(Tensor.zeros(5, 3), Tensor.zeros(5, 3)));
        assertTrue(e.getMessage().contains("[2, 5, 7]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 5, 8).rotateHalf(Tensor.zeros(4, 4), Tensor.zeros(4, 4)));
    }
}

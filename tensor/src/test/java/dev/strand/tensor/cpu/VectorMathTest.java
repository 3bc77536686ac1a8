package dev.strand.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The deterministic vector exp/tanh against java.lang.Math, edges included. */
class VectorMathTest {
    private static float[] apply(boolean tanh, float... x) {
        int lanes = Simd.SPECIES.length();
        float[] in = java.util.Arrays.copyOf(x, ((x.length + lanes - 1) / lanes) * lanes), out = new float[in.length];
        for (int i = 0; i < in.length; i += lanes) {
            FloatVector v = FloatVector.fromArray(Simd.SPECIES, in, i);
            (tanh ? VectorMath.tanh(v) : VectorMath.exp(v)).intoArray(out, i);
        }
        return out;
    }

    @Test
    void expIsWithinAFewUlpOverItsRange() {
        float[] x = new float[20001];
        for (int i = 0; i < x.length; i++) x[i] = -87f + i * (175f / (x.length - 1));
        float[] y = apply(false, x);
        for (int i = 0; i < x.length; i++) {
            double want = Math.exp(x[i]);
            assertTrue(Math.abs(y[i] - want) <= 3 * Math.ulp((float) want), "exp(" + x[i] + ") = " + y[i] + ", want " + want);
        }
    }

    @Test
    void expEdges() {
        float[] y = apply(false, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, -100f, 100f, 0f);
        assertEquals(0f, y[0]);
        assertEquals(Float.POSITIVE_INFINITY, y[1]);
        assertTrue(Float.isNaN(y[2]));
        assertEquals(0f, y[3]);
        assertEquals(Float.POSITIVE_INFINITY, y[4]);
        assertEquals(1f, y[5]);
    }

    @Test
    void tanhAbsoluteErrorIsSmall() {
        float[] x = new float[4001];
        for (int i = 0; i < x.length; i++) x[i] = -20f + i * 0.01f;
        float[] y = apply(true, x);
        for (int i = 0; i < x.length; i++) assertEquals(Math.tanh(x[i]), y[i], 2e-7, "tanh(" + x[i] + ")");
        float[] inf = apply(true, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        assertEquals(-1f, inf[0]);
        assertEquals(1f, inf[1]);
    }

    @Test
    void laneSumsAddAsAFixedTree() {
        int lanes = Simd.SPECIES.length();
        float[] v = new float[lanes];
        v[0] = 1e8f;
        for (int i = 1; i < lanes; i++) v[i] = 1f + i / 8f;   // small against 1e8: the order of the adds shows in the result
        // The documented order, replayed in scalar: lane i += lane (i + w) mod L for w = L/2, L/4, … 1.
        float[] tree = v.clone();
        for (int w = lanes / 2; w >= 1; w /= 2) {
            float[] next = new float[lanes];
            for (int i = 0; i < lanes; i++) next[i] = tree[i] + tree[(i + w) % lanes];
            tree = next;
        }
        for (int round = 0; round < 20_000; round++) {   // interpreted at first, compiled later: the same bits
            assertEquals(tree[0], VectorMath.sumLanes(FloatVector.fromArray(Simd.SPECIES, v, 0)));
        }
    }
}

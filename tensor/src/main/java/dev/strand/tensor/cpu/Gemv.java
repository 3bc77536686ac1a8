package dev.strand.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector-times-matrix for the rows of a matrix product with few rows (token-by-token generation
 * with a KV cache): y[j] = Σ_k x[k]·B[k, j]. Packing B, as the GEMM does, would copy the whole
 * weight matrix to use each element once; here B is streamed once, in whichever direction its
 * memory runs: a dot product per output when B's columns are contiguous runs (a transposed
 * weight, B = Wᵀ), an axpy over B's rows when its rows are.
 */
public final class Gemv {
    private static final int PARALLEL_ELEMENTS = 1 << 15;

    private Gemv() {}

    /**
     * y[yo + j] = Σ_k x[xo + k·xs]·b[bo + k·brs + j·bcs] for j in [0, n); parallel over j.
     * The vector path needs brs == 1 (dot products) or bcs == 1 (axpy); other layouts, and
     * {@code vector} false, take the scalar loop.
     */
    public static void multiply(int n, int k, float[] x, int xo, int xs, float[] b, int bo, int brs, int bcs,
                                float[] y, int yo, boolean vector) {
        float[] xd = new float[k];
        for (int p = 0; p < k; p++) xd[p] = x[xo + p * xs];
        int grain = Math.max(16, PARALLEL_ELEMENTS / Math.max(1, k));
        if (vector && brs == 1) {
            Parallel.forRange(n, grain, (s, e) -> dotRows(xd, k, b, bo, bcs, s, e, y, yo));
        } else if (vector && bcs == 1) {
            Parallel.forRange(n, Math.max(grain, 64), (s, e) -> axpyRows(xd, k, b, bo, brs, s, e, y, yo));
        } else {
            Parallel.forRange(n, grain, (s, e) -> {
                for (int j = s; j < e; j++) {
                    float acc = 0f;
                    for (int p = 0; p < k; p++) acc += xd[p] * b[bo + p * brs + j * bcs];
                    y[yo + j] = acc;
                }
            });
        }
    }

    /**
     * y[j] = x · B[:, j] for j in [from, to) with B's columns contiguous (rows of W for B = Wᵀ).
     * Four outputs at a time: x is loaded once for four rows and four FMA chains run side by side.
     */
    private static void dotRows(float[] x, int k, float[] b, int bo, int bcs, int from, int to, float[] y, int yo) {
        VectorSpecies<Float> s = Simd.SPECIES;
        int lanes = s.length(), kv = k - k % lanes, j = from;
        for (; j <= to - 4; j += 4) {
            int r0 = bo + j * bcs, r1 = r0 + bcs, r2 = r1 + bcs, r3 = r2 + bcs;
            FloatVector a0 = FloatVector.zero(s), a1 = FloatVector.zero(s), a2 = FloatVector.zero(s), a3 = FloatVector.zero(s);
            for (int p = 0; p < kv; p += lanes) {
                FloatVector xv = FloatVector.fromArray(s, x, p);
                a0 = FloatVector.fromArray(s, b, r0 + p).fma(xv, a0);
                a1 = FloatVector.fromArray(s, b, r1 + p).fma(xv, a1);
                a2 = FloatVector.fromArray(s, b, r2 + p).fma(xv, a2);
                a3 = FloatVector.fromArray(s, b, r3 + p).fma(xv, a3);
            }
            float d0 = VectorMath.sumLanes(a0), d1 = VectorMath.sumLanes(a1), d2 = VectorMath.sumLanes(a2), d3 = VectorMath.sumLanes(a3);
            for (int p = kv; p < k; p++) {
                d0 += x[p] * b[r0 + p];
                d1 += x[p] * b[r1 + p];
                d2 += x[p] * b[r2 + p];
                d3 += x[p] * b[r3 + p];
            }
            y[yo + j] = d0;
            y[yo + j + 1] = d1;
            y[yo + j + 2] = d2;
            y[yo + j + 3] = d3;
        }
        for (; j < to; j++) y[yo + j] = NormKernels.dot(x, 0, b, bo + j * bcs, k, true);
    }

    /** y[from … to) = Σ_k x[k]·B[k, from … to) with B's rows contiguous. */
    private static void axpyRows(float[] x, int k, float[] b, int bo, int brs, int from, int to, float[] y, int yo) {
        VectorSpecies<Float> s = Simd.SPECIES;
        int lanes = s.length(), j = from;
        for (; j <= to - lanes; j += lanes) {
            FloatVector acc = FloatVector.zero(s);
            for (int p = 0; p < k; p++) acc = FloatVector.fromArray(s, b, bo + p * brs + j).fma(FloatVector.broadcast(s, x[p]), acc);
            acc.intoArray(y, yo + j);
        }
        for (; j < to; j++) {
            float acc = 0f;
            for (int p = 0; p < k; p++) acc += x[p] * b[bo + p * brs + j];
            y[yo + j] = acc;
        }
    }
}

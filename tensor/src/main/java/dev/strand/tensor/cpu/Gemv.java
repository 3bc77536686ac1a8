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
            Parallel.forRange(n, grain, (s, e) -> {
                for (int j = s; j < e; j++) y[yo + j] = NormKernels.dot(xd, 0, b, bo + j * bcs, k, true);
            });
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

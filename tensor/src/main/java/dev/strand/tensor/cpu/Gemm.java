package dev.strand.tensor.cpu;

/** Placeholder until the tuned kernel lands (being written in parallel). */
public final class Gemm {
    private Gemm() {}

    public static void multiply(int batch, int m, int n, int k,
                                float[] a, int[] aOffsets, int aRowStride, int aColStride,
                                float[] b, int[] bOffsets, int bRowStride, int bColStride,
                                float[] c, int[] cOffsets, int cRowStride) {
        multiplyScalar(batch, m, n, k, a, aOffsets, aRowStride, aColStride, b, bOffsets, bRowStride, bColStride, c, cOffsets, cRowStride);
    }

    public static void multiplyScalar(int batch, int m, int n, int k,
                                      float[] a, int[] aOffsets, int aRowStride, int aColStride,
                                      float[] b, int[] bOffsets, int bRowStride, int bColStride,
                                      float[] c, int[] cOffsets, int cRowStride) {
        for (int bt = 0; bt < batch; bt++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0;
                    for (int p = 0; p < k; p++) s += a[aOffsets[bt] + i * aRowStride + p * aColStride] * b[bOffsets[bt] + p * bRowStride + j * bColStride];
                    c[cOffsets[bt] + i * cRowStride + j] = s;
                }
            }
        }
    }
}

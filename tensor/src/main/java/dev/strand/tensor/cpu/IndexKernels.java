package dev.strand.tensor.cpu;

import dev.strand.tensor.BinaryOp;

/**
 * Gathers and their adjoints (scatter-adds) over contiguous tensors. {@code select/add} work on a
 * [outer, d, inner] view and move whole inner rows; {@code gather/scatter} follow torch.gather's
 * elementwise indexing for any rank.
 */
public final class IndexKernels {
    private IndexKernels() {}

    /** out[o, i, :] = x[o, index[i], :] (floats or ints: pass the arrays of one dtype, the others null). */
    public static void select(Object x, int xo, int outer, int d, int inner, int[] index, Object out) {
        int count = index.length;
        Parallel.forRange(outer, Math.max(1, (1 << 14) / Math.max(1, count * inner)), (s, e) -> {
            for (int o = s; o < e; o++) {
                for (int i = 0; i < count; i++) {
                    System.arraycopy(x, xo + (o * d + index[i]) * inner, out, (o * count + i) * inner, inner);
                }
            }
        });
    }

    /** out[o, index[i], :] += src[o, i, :]. Repeated indices accumulate; rows are added in index order. */
    public static void add(float[] out, int outer, int d, int inner, int[] index, float[] src, boolean vector) {
        int count = index.length;
        Parallel.forRange(outer, Math.max(1, (1 << 14) / Math.max(1, count * inner)), (s, e) -> {
            for (int o = s; o < e; o++) {
                for (int i = 0; i < count; i++) {
                    int dst = (o * d + index[i]) * inner;
                    ElementwiseKernels.binary(BinaryOp.ADD, out, dst, 1, src, (o * count + i) * inner, 1, out, dst, 1, inner, vector);
                }
            }
        });
    }

    /**
     * For every position p of {@code index} (shape idxShape, contiguous), with q = p but q[dim] =
     * index[p]: gather sets out[p] = x[q]; scatter adds out[q] += src[p]. xShape is the shape of the
     * indexed tensor (x for gather, out for scatter), contiguous.
     */
    public static void gatherOrScatter(boolean scatter, float[] indexed, int[] xShape, int dim,
                                       int[] index, int[] idxShape, float[] other) {
        int rank = idxShape.length;
        int[] xStrides = dev.strand.tensor.Shapes.contiguousStrides(xShape);
        int[] pos = new int[rank];
        for (int p = 0; p < index.length; p++) {
            int q = 0;
            for (int k = 0; k < rank; k++) q += (k == dim ? index[p] : pos[k]) * xStrides[k];
            if (scatter) indexed[q] += other[p];
            else other[p] = indexed[q];
            for (int k = rank - 1; k >= 0; k--) {
                if (++pos[k] < idxShape[k]) break;
                pos[k] = 0;
            }
        }
    }
}

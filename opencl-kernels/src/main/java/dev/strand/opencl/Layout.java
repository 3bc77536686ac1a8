package dev.strand.opencl;

import dev.strand.tensor.Shapes;
import dev.strand.tensor.Tensor;

/**
 * Builds the {@code Layout} struct of {@code common.cl} for an elementwise kernel: operand 0 is
 * the output, the others are read with their strides broadcast to its shape. Size-1 dims are
 * dropped and dims that every operand walks contiguously are merged, so contiguous operands make
 * a rank-1 layout and the kernel's index arithmetic is one division per merged dim.
 */
final class Layout {
    static final int MAX_DIMS = 8;
    static final int MAX_OPERANDS = 4;
    /** rank, size[MAX_DIMS], stride[MAX_OPERANDS][MAX_DIMS], offset[MAX_OPERANDS]. */
    static final int INTS = 1 + MAX_DIMS + MAX_OPERANDS * MAX_DIMS + MAX_OPERANDS;

    private Layout() {}

    /** The layout for writing {@code out} from {@code inputs} (at most three) broadcast to its shape. */
    static int[] of(Tensor out, Tensor... inputs) {
        int[] shape = out.shape();
        int ops = inputs.length + 1;
        int[][] st = new int[ops][];
        int[] off = new int[ops];
        st[0] = out.strides();
        off[0] = out.offset();
        for (int i = 0; i < inputs.length; i++) {
            st[i + 1] = Shapes.broadcastStrides(inputs[i].shape(), inputs[i].strides(), shape);
            off[i + 1] = inputs[i].offset();
        }
        int[] sizes = new int[shape.length];
        int[][] strides = new int[ops][shape.length];
        int rank = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            boolean merge = rank > 0;
            for (int o = 0; o < ops && merge; o++) merge = strides[o][rank - 1] == st[o][d] * shape[d];
            if (merge) {
                sizes[rank - 1] *= shape[d];
                for (int o = 0; o < ops; o++) strides[o][rank - 1] = st[o][d];
            } else {
                sizes[rank] = shape[d];
                for (int o = 0; o < ops; o++) strides[o][rank] = st[o][d];
                rank++;
            }
        }
        if (rank > MAX_DIMS) {
            throw new IllegalArgumentException("the OpenCL elementwise kernels take at most " + MAX_DIMS
                    + " dims after merging; " + out + " has " + rank + " (make the inputs contiguous first)");
        }
        int[] s = new int[INTS];
        s[0] = rank;
        for (int d = 0; d < rank; d++) {
            s[1 + d] = sizes[d];
            for (int o = 0; o < ops; o++) s[1 + MAX_DIMS + o * MAX_DIMS + d] = strides[o][d];
        }
        for (int o = 0; o < ops; o++) s[1 + MAX_DIMS + MAX_OPERANDS * MAX_DIMS + o] = off[o];
        return s;
    }
}

package dev.strand.tensor.cpu;

import dev.strand.tensor.Shapes;
import dev.strand.tensor.Tensor;

/**
 * Iteration over a broadcast elementwise operation as rows of its innermost dim.
 *
 * <p>Operand 0 is the output; the others are read with their strides broadcast to the output's
 * shape (stride 0 on repeated dims). Dims of size 1 are dropped and dims that every operand walks
 * contiguously are merged, so a contiguous tensor is one long row and a kernel sees long runs with
 * a fixed stride per operand (1, 0 or other) that its vector loop can take.
 */
final class StridedPlan {
    /** Rows at least this long in total are split across threads. */
    private static final int PARALLEL_ELEMENTS = 1 << 15;

    /** Called once per row with each operand's offset of the row's first element. */
    @FunctionalInterface
    interface RowBody {
        void row(int[] offsets, int n);
    }

    final int[] sizes;        // merged dims, innermost last
    final int[][] strides;    // per operand, per merged dim
    final int[] offsets;      // per operand
    final int inner;          // length of a row
    final int rows;

    private StridedPlan(int[] sizes, int[][] strides, int[] offsets) {
        this.sizes = sizes;
        this.strides = strides;
        this.offsets = offsets;
        this.inner = sizes[sizes.length - 1];
        this.rows = Shapes.product(sizes, 0, sizes.length - 1);
    }

    /** Plan for writing {@code out} from {@code inputs} broadcast to its shape. */
    static StridedPlan of(Tensor out, Tensor... inputs) {
        int[] shape = out.shape();
        int n = inputs.length + 1;
        int[][] st = new int[n][];
        int[] off = new int[n];
        st[0] = out.strides();
        off[0] = out.offset();
        for (int i = 0; i < inputs.length; i++) {
            st[i + 1] = Shapes.broadcastStrides(inputs[i].shape(), inputs[i].strides(), shape);
            off[i + 1] = inputs[i].offset();
        }
        return coalesce(shape, st, off);
    }

    private static StridedPlan coalesce(int[] shape, int[][] st, int[] off) {
        int n = st.length;
        int[] sizes = new int[Math.max(shape.length, 1)];
        int[][] strides = new int[n][sizes.length];
        int rank = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            boolean merge = rank > 0;
            for (int o = 0; o < n && merge; o++) {
                merge = strides[o][rank - 1] == st[o][d] * shape[d];
            }
            if (merge) {
                sizes[rank - 1] *= shape[d];
                for (int o = 0; o < n; o++) strides[o][rank - 1] = st[o][d];
            } else {
                sizes[rank] = shape[d];
                for (int o = 0; o < n; o++) strides[o][rank] = st[o][d];
                rank++;
            }
        }
        if (Shapes.numel(shape) == 0) {
            rank = 1;
            sizes[0] = 0;
        } else if (rank == 0) {
            rank = 1;
            sizes[0] = 1;
            for (int o = 0; o < n; o++) strides[o][0] = 1;
        }
        int[] s = java.util.Arrays.copyOf(sizes, rank);
        int[][] t = new int[n][];
        for (int o = 0; o < n; o++) t[o] = java.util.Arrays.copyOf(strides[o], rank);
        return new StridedPlan(s, t, off);
    }

    /** Innermost stride of operand {@code o}. */
    int innerStride(int o) {
        return strides[o][sizes.length - 1];
    }

    /** Runs {@code body} over every row, in parallel when the work is large. */
    void forEachRow(RowBody body) {
        if (inner == 0 || rows == 0) return;
        if (inner >= 2 * PARALLEL_ELEMENTS && Parallel.threads() > 1) {
            forEachPiece(body);
            return;
        }
        int grain = Math.max(1, PARALLEL_ELEMENTS / inner);
        Parallel.forRange(rows, grain, (start, end) -> {
            int outer = sizes.length - 1;
            int n = offsets.length;
            int[] idx = new int[Math.max(outer, 1)];
            int[] pos = new int[n];
            startOfRow(start, idx, pos);
            for (int row = start; row < end; row++) {
                body.row(pos, inner);
                // Odometer increment of the outer counters.
                for (int d = outer - 1; d >= 0; d--) {
                    idx[d]++;
                    for (int o = 0; o < n; o++) pos[o] += strides[o][d];
                    if (idx[d] < sizes[d]) break;
                    for (int o = 0; o < n; o++) pos[o] -= strides[o][d] * sizes[d];
                    idx[d] = 0;
                }
            }
        });
    }

    /** Long rows (a contiguous tensor is one row) are cut into pieces so every core gets some. */
    private void forEachPiece(RowBody body) {
        int piecesPerRow = (inner + PARALLEL_ELEMENTS - 1) / PARALLEL_ELEMENTS;
        int pieceLength = (inner + piecesPerRow - 1) / piecesPerRow;
        int n = offsets.length;
        Parallel.forRange(rows * piecesPerRow, 1, (start, end) -> {
            int[] idx = new int[Math.max(sizes.length - 1, 1)];
            int[] pos = new int[n];
            for (int p = start; p < end; p++) {
                startOfRow(p / piecesPerRow, idx, pos);
                int from = (p % piecesPerRow) * pieceLength;
                for (int o = 0; o < n; o++) pos[o] += from * strides[o][sizes.length - 1];
                body.row(pos, Math.min(pieceLength, inner - from));
            }
        });
    }

    /** Sets the outer counters and each operand's offset to the start of {@code row}. */
    private void startOfRow(int row, int[] idx, int[] pos) {
        int outer = sizes.length - 1;
        for (int d = outer - 1; d >= 0; d--) {
            idx[d] = row % sizes[d];
            row /= sizes[d];
        }
        for (int o = 0; o < offsets.length; o++) {
            int p = offsets[o];
            for (int d = 0; d < outer; d++) p += idx[d] * strides[o][d];
            pos[o] = p;
        }
    }
}

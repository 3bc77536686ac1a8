package dev.strand.genomics.hub;

import dev.strand.nn.attention.BigBirdLayout;
import dev.strand.tensor.DType;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** DeepSpeed's BigBird layouts as Strand's "gena" layout holds them. */
final class SparseLayouts {
    private SparseLayouts() {}

    /**
     * The random-block table [H, blocks, r] (INT32) of a DeepSpeed {@code master_layout} [H, blocks,
     * blocks]: for each head and row, the key blocks it reads beyond the global columns and the
     * window. DeepSpeed draws r blocks over the whole row, so a draw that fell on a global or window
     * block leaves fewer; the row is then filled up with its own block, which it reads anyway.
     *
     * @throws IllegalArgumentException if the shapes differ from Strand's, or the layout lacks a
     *     global row or column or a window block, or a row reads more than r blocks besides them
     */
    static Tensor randomTable(Tensor master, BigBirdLayout layout, int[] tableShape, String what) {
        int heads = tableShape[0], blocks = tableShape[1], r = tableShape[2];
        if (!Arrays.equals(master.shape(), new int[] {heads, blocks, blocks})) {
            throw new IllegalArgumentException(what + " is " + Arrays.toString(master.shape()) + " but this config makes the layout ["
                    + heads + ", " + blocks + ", " + blocks + "]");
        }
        int[] m = master.dtype() == DType.INT32 ? master.toIntArray() : toInts(master.toFloatArray());   // int64 in the file, float16 if saved from a half model
        int radius = layout.window / 2, g = layout.globals;
        int[] table = new int[heads * blocks * r];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < blocks; i++) {
                List<Integer> extra = new ArrayList<>();
                for (int j = 0; j < blocks; j++) {
                    boolean reads = m[(h * blocks + i) * blocks + j] != 0;
                    boolean fixed = i < g || j < g || Math.abs(i - j) <= radius;
                    if (fixed && !reads) {
                        throw new IllegalArgumentException(what + ": head " + h + ", block " + i + " does not read block " + j
                                + ", which BigBird's global blocks (" + g + ") and window (" + layout.window + ") require");
                    }
                    if (reads && !fixed) extra.add(j);
                }
                if (extra.size() > r) {
                    throw new IllegalArgumentException(what + ": head " + h + ", block " + i + " reads " + extra.size() + " random blocks " + extra
                            + ", more than the config's " + r);
                }
                for (int k = 0; k < r; k++) table[(h * blocks + i) * r + k] = k < extra.size() ? extra.get(k) : i;
            }
        }
        return Tensor.ofInts(table, heads, blocks, r);
    }

    private static int[] toInts(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i] != 0 ? 1 : 0;
        return out;
    }
}

package dev.strand.autograd;

import dev.strand.tensor.Tensor;

/** Reduces a gradient that was broadcast in the forward pass back to its input's shape. */
final class Broadcasting {
    private Broadcasting() {}

    /** Sums {@code g} over the leading dims it gained and over dims where {@code shape} had size 1. */
    static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (java.util.Arrays.equals(gs, shape)) return g;
        Tensor r = g;
        int lead = gs.length - shape.length;
        if (lead > 0) {
            // The leading dims as one (a bias's gradient over [B, T, d] is one sum over B·T rows).
            int[] merged = new int[shape.length + 1];
            merged[0] = -1;
            System.arraycopy(gs, lead, merged, 1, shape.length);
            r = r.reshape(merged).sum(0, false);
        }
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1 && r.size(d) != 1) r = r.sum(d, true);
        }
        return r;
    }
}

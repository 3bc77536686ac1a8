package dev.strand.tensor;

/**
 * The reductions of {@link Tensor} over one dim of a FLOAT32 tensor: sum, mean, max, min and
 * argmax (INT32 result) by one backend kernel, and the variance composed from them.
 */
final class Reductions {
    private Reductions() {}

    static Tensor reduce(Tensor t, ReduceOp op, int dim, boolean keepdim) {
        t.requireFloat(op.name());
        int d = Shapes.dim(dim, t.shape.length);
        if (t.shape[d] == 0 && op != ReduceOp.SUM) {
            throw new IllegalArgumentException(op + " over an empty dim " + dim + " of shape " + Shapes.str(t.shape));
        }
        int[] keep = t.shape.clone();
        keep[d] = 1;
        Tensor out = Tensor.zeros(t.device(), op == ReduceOp.ARGMAX ? DType.INT32 : DType.FLOAT32, keep);
        if (t.shape[d] > 0) t.backend().reduce(op, t, d, out);   // a sum over nothing is the zeros out starts as
        return keepdim ? out : out.squeeze(d);
    }

    /** Σ (x − mean)² over {@code dim}, divided by n − 1 if unbiased, else by n. */
    static Tensor var(Tensor t, int dim, boolean keepdim, boolean unbiased) {
        int n = t.size(dim);
        Tensor centered = t.sub(t.mean(dim, true));
        return centered.square().sum(dim, keepdim).div(unbiased ? n - 1 : n);
    }
}

package dev.strand.tensor;

/** {@link Tensor#blockSparseAttention} and its backward: their checks and outputs. */
final class BlockSparseAttention {
    private BlockSparseAttention() {}

    static Tensor[] forward(Tensor q, Tensor k, Tensor v, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale) {
        check(q, k, v, pattern, keyPadding, slopes);
        Tensor out = Tensor.zeros(q.device(), DType.FLOAT32, q.shape());
        Tensor logSumExp = Tensor.zeros(q.device(), DType.FLOAT32, q.size(0), q.size(1), q.size(2));
        q.backend().blockSparseAttention(q, k, v, pattern, keyPadding, slopes, scale, out, logSumExp);
        return new Tensor[] {out, logSumExp};
    }

    static Tensor[] backward(Tensor q, Tensor k, Tensor v, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale,
                             Tensor out, Tensor logSumExp, Tensor gOut) {
        check(q, k, v, pattern, keyPadding, slopes);
        for (Tensor t : new Tensor[] {out, gOut}) {
            if (!t.sameShape(q)) throw new IllegalArgumentException("block-sparse attention's output and its gradient must be " + Shapes.str(q.shape()) + ", got " + Shapes.str(t.shape()));
        }
        Tensor[] grads = new Tensor[3];
        for (int i = 0; i < 3; i++) grads[i] = Tensor.zeros(q.device(), DType.FLOAT32, q.shape());
        q.backend().blockSparseAttentionBackward(q, k, v, pattern, keyPadding, slopes, scale, out, logSumExp, gOut, grads[0], grads[1], grads[2]);
        return grads;
    }

    private static void check(Tensor q, Tensor k, Tensor v, BlockPattern pattern, Tensor keyPadding, float[] slopes) {
        for (Tensor x : new Tensor[] {q, k, v}) {
            x.requireFloat("block-sparse attention");
            q.sameDevice(x, "block-sparse attention");
        }
        if (q.dim() != 4 || !q.sameShape(k) || !q.sameShape(v)) {
            throw new IllegalArgumentException("block-sparse attention needs q, k and v of one shape [B, H, T, hd], got "
                    + Shapes.str(q.shape()) + ", " + Shapes.str(k.shape()) + ", " + Shapes.str(v.shape()));
        }
        if (q.size(1) != pattern.heads || q.size(2) != pattern.length()) {
            throw new IllegalArgumentException("block-sparse attention over " + Shapes.str(q.shape()) + " needs a pattern of " + q.size(1) + " heads covering "
                    + q.size(2) + " positions, got " + pattern);
        }
        if (keyPadding != null && (keyPadding.dim() != 2 || keyPadding.size(0) != q.size(0) || keyPadding.size(1) != q.size(2))) {
            throw new IllegalArgumentException("key padding must be [B, T] = [" + q.size(0) + ", " + q.size(2) + "], got " + Shapes.str(keyPadding.shape()));
        }
        if (slopes != null && slopes.length != q.size(1)) throw new IllegalArgumentException(slopes.length + " ALiBi slopes for " + q.size(1) + " heads");
    }

    /** The kernel's problem for these tensors, with the key padding as host floats. */
    static BlockSparseKernel.Problem problem(Tensor q, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale) {
        return BlockSparseKernel.Problem.of(q, pattern, keyPadding == null ? null : keyPadding.toFloat().toFloatArray(), slopes, scale);
    }
}

package dev.strand.tensor;

import java.util.Arrays;

/**
 * {@link Tensor#matmul}: NumPy/PyTorch matrix-product semantics (1-d operands as vectors, batch
 * dims broadcast) reduced to one batched [..., m, k] · [..., k, n] backend kernel.
 */
final class MatrixProduct {
    private MatrixProduct() {}

    static Tensor matmul(Tensor left, Tensor right) {
        int[] ls = left.shape, rs = right.shape;
        left.requireFloat("matmul");
        right.requireFloat("matmul");
        left.sameDevice(right, "matmul");
        if (ls.length == 0 || rs.length == 0) {
            throw new IllegalArgumentException("matmul needs at least 1-d operands, got " + Shapes.str(ls) + " and " + Shapes.str(rs));
        }
        if (ls.length == 1) return left.unsqueeze(0).matmul(right).squeeze(-2);
        if (rs.length == 1) return left.matmul(right.unsqueeze(1)).squeeze(-1);
        int m = ls[ls.length - 2], k = ls[ls.length - 1];
        int k2 = rs[rs.length - 2], n = rs[rs.length - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul shapes " + Shapes.str(ls) + " and " + Shapes.str(rs)
                    + " do not fit: inner dims " + k + " and " + k2 + " differ");
        }
        if (rs.length == 2 && ls.length > 2) {
            // [..., m, k] · [k, n] with rows that are one strided run (a linear layer on [B, T, d]):
            // one [B·m, k] product packs B once and splits B·m rows across the cores, where a
            // batch of B products would pack it B times.
            int rows = Shapes.product(ls, 0, ls.length - 1);
            int[] st = ViewMath.viewStrides(ls, left.strides, new int[] {rows, k});
            if (st != null) return left.view(rows, k).matmul(right).view(Shapes.append(Arrays.copyOf(ls, ls.length - 2), m, n));
        }
        int[] batch;
        try {
            batch = Shapes.broadcast(Arrays.copyOf(ls, ls.length - 2), Arrays.copyOf(rs, rs.length - 2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul batch dims of " + Shapes.str(ls) + " and " + Shapes.str(rs) + " cannot be broadcast together");
        }
        Tensor a = left.expand(Shapes.append(batch, m, k));
        Tensor b = right.expand(Shapes.append(batch, k, n));
        Tensor out = Tensor.zeros(left.device(), DType.FLOAT32, Shapes.append(batch, m, n));
        left.backend().matmul(a, b, out);
        return out;
    }
}

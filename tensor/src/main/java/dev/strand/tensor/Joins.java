package dev.strand.tensor;

import java.util.List;

/**
 * {@link Tensor#concat} and {@link Tensor#stack}: one fresh tensor holding several, each part
 * copied into a narrow view of the result.
 */
final class Joins {
    private Joins() {}

    static Tensor concat(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("concat of no tensors");
        Tensor first = parts.get(0);
        int d = Shapes.dim(dim, first.shape.length);
        int total = 0;
        for (Tensor p : parts) {
            if (p.shape.length != first.shape.length || p.dtype() != first.dtype()) {
                throw new IllegalArgumentException("concat: " + p + " does not match " + first);
            }
            first.sameDevice(p, "concat");
            for (int i = 0; i < first.shape.length; i++) {
                if (i != d && p.shape[i] != first.shape[i]) {
                    throw new IllegalArgumentException("concat along dim " + dim + ": shapes " + Shapes.str(first.shape) + " and " + Shapes.str(p.shape) + " differ in dim " + i);
                }
            }
            total += p.shape[d];
        }
        int[] s = first.shape.clone();
        s[d] = total;
        Tensor out = Tensor.zeros(first.device(), first.dtype(), s);
        int at = 0;
        for (Tensor p : parts) {
            out.narrow(d, at, p.shape[d]).copyFrom(p);
            at += p.shape[d];
        }
        return out;
    }

    static Tensor stack(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("stack of no tensors");
        int rank = parts.get(0).dim();
        int d = dim < 0 ? dim + rank + 1 : dim;
        for (Tensor p : parts) {
            if (!p.sameShape(parts.get(0))) {
                throw new IllegalArgumentException("stack: shapes " + Shapes.str(parts.get(0).shape) + " and " + Shapes.str(p.shape) + " differ");
            }
        }
        return concat(parts.stream().map(p -> p.unsqueeze(d)).toList(), d);
    }
}

package dev.strand.autograd;

import dev.strand.tensor.Tensor;

/** Lookups by index; their gradients scatter-add back to the rows or elements that were read. */
public final class Indexing {
    private Indexing() {}

    /** Rows of {@code weight} [V, D] at INT32 {@code ids} (any shape) → [...ids, D]. */
    public static Variable embedding(Variable weight, Tensor ids) {
        Tensor flat = ids.reshape(ids.numel());
        int[] outShape = java.util.Arrays.copyOf(ids.shape(), ids.dim() + 1);
        outShape[ids.dim()] = weight.size(1);
        return indexSelect(weight, 0, flat).reshape(outShape);
    }

    public static Variable indexSelect(Variable a, int dim, Tensor index) {
        Tensor out = a.data().indexSelect(dim, index);
        return Variable.result("indexSelect", out,
                g -> a.accumulate(Tensor.zeros(a.shape()).indexAddInPlace(dim, index, g)), a);
    }

    /** As torch.gather along {@code dim}. */
    public static Variable gather(Variable a, int dim, Tensor index) {
        Tensor out = a.data().gather(dim, index);
        return Variable.result("gather", out,
                g -> a.accumulate(Tensor.zeros(a.shape()).scatterAddInPlace(dim, index, g)), a);
    }
}

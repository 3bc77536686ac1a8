package dev.strand.autograd;

import dev.strand.tensor.Tensor;

/** Reductions over one dim or all elements; their gradients spread back over the reduced elements. */
public final class Reductions {
    private Reductions() {}

    /** Spreads a reduced gradient back to {@code shape} (re-inserting the dim when it was dropped). */
    private static Tensor spread(Tensor g, int dim, boolean keepdim, int[] shape) {
        return (keepdim ? g : g.unsqueeze(dim)).expand(shape).contiguous();
    }

    public static Variable sum(Variable a, int dim, boolean keepdim) {
        int d = dev.strand.tensor.Shapes.dim(dim, a.dim());
        return Variable.result("sum", a.data().sum(d, keepdim), g -> a.accumulate(spread(g, d, keepdim, a.shape())), a);
    }

    public static Variable mean(Variable a, int dim, boolean keepdim) {
        int d = dev.strand.tensor.Shapes.dim(dim, a.dim());
        float n = a.size(d);
        return Variable.result("mean", a.data().mean(d, keepdim), g -> a.accumulate(spread(g.div(n), d, keepdim, a.shape())), a);
    }

    /** Sum of all elements (0-d). */
    public static Variable sum(Variable a) {
        return Variable.result("sum", a.data().sum(), g -> a.accumulate(g.expand(a.shape()).contiguous()), a);
    }

    /** Mean of all elements (0-d). */
    public static Variable mean(Variable a) {
        float n = a.data().numel();
        return Variable.result("mean", a.data().mean(), g -> a.accumulate(g.div(n).expand(a.shape()).contiguous()), a);
    }

    /** Maximum over {@code dim}; the gradient goes to the (first) maximal element. */
    public static Variable max(Variable a, int dim, boolean keepdim) {
        int d = dev.strand.tensor.Shapes.dim(dim, a.dim());
        Tensor values = a.data().max(d, keepdim);
        return Variable.result("max", values, g -> {
            Tensor where = a.data().argmax(d, true);
            a.accumulate(Tensor.zeros(a.shape()).scatterAddInPlace(d, where, keepdim ? g : g.unsqueeze(d)));
        }, a);
    }

    /** Variance over {@code dim}, divided by n − 1 if unbiased (PyTorch's default) else by n. */
    public static Variable var(Variable a, int dim, boolean keepdim, boolean unbiased) {
        int n = a.size(dim);
        Variable centered = a.sub(a.mean(dim, true));
        return centered.square().sum(dim, keepdim).div(unbiased ? n - 1 : n);
    }
}

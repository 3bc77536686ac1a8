package dev.strand.autograd;

import dev.strand.tensor.Shapes;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Views and joins: their gradients are the inverse view, or slices of the joined gradient. */
public final class Shaping {
    private Shaping() {}

    public static Variable reshape(Variable a, int... shape) {
        return Variable.result("reshape", a.data().reshape(shape), g -> a.accumulate(g.reshape(a.shape())), a);
    }

    public static Variable permute(Variable a, int... order) {
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) inverse[Shapes.dim(order[i], order.length)] = i;
        return Variable.result("permute", a.data().permute(order), g -> a.accumulate(g.permute(inverse)), a);
    }

    public static Variable transpose(Variable a, int d0, int d1) {
        return Variable.result("transpose", a.data().transpose(d0, d1), g -> a.accumulate(g.transpose(d0, d1)), a);
    }

    public static Variable narrow(Variable a, int dim, int start, int length) {
        return Variable.result("narrow", a.data().narrow(dim, start, length), g -> {
            Tensor full = Tensor.zeros(a.shape());
            full.narrow(dim, start, length).copyFrom(g);
            a.accumulate(full);
        }, a);
    }

    public static Variable expand(Variable a, int... shape) {
        return Variable.result("expand", a.data().expand(shape), g -> a.accumulate(Broadcasting.sumTo(g, a.shape())), a);
    }

    public static Variable squeeze(Variable a, int dim) {
        int d = Shapes.dim(dim, a.dim());
        return Variable.result("squeeze", a.data().squeeze(d), g -> a.accumulate(g.unsqueeze(d)), a);
    }

    public static Variable unsqueeze(Variable a, int dim) {
        int d = dim < 0 ? dim + a.dim() + 1 : dim;
        return Variable.result("unsqueeze", a.data().unsqueeze(d), g -> a.accumulate(g.squeeze(d)), a);
    }

    public static Variable contiguous(Variable a) {
        return Variable.result("contiguous", a.data().contiguous(), a::accumulate, a);
    }

    /** Consecutive pieces along {@code dim}. */
    public static List<Variable> split(Variable a, int dim, int... sizes) {
        List<Variable> out = new ArrayList<>();
        int at = 0;
        for (int s : sizes) {
            out.add(narrow(a, dim, at, s));
            at += s;
        }
        if (at != a.size(dim)) throw new IllegalArgumentException("split sizes do not add up to dim " + dim + " of " + Shapes.str(a.shape()));
        return out;
    }

    /** Joins along {@code dim}; each part's gradient is its slice of the joined gradient. */
    public static Variable concat(List<Variable> parts, int dim) {
        Tensor out = Tensor.concat(parts.stream().map(Variable::data).toList(), dim);
        int d = Shapes.dim(dim, out.dim());
        return Variable.result("concat", out, g -> {
            int at = 0;
            for (Variable p : parts) {
                int len = p.size(d);
                if (p.requiresGrad()) p.accumulate(g.narrow(d, at, len));
                at += len;
            }
        }, parts.toArray(new Variable[0]));
    }

    /** Stacks equal-shaped variables along a new dim. */
    public static Variable stack(List<Variable> parts, int dim) {
        int d = dim < 0 ? dim + parts.get(0).dim() + 1 : dim;
        return concat(parts.stream().map(p -> unsqueeze(p, d)).toList(), d);
    }
}

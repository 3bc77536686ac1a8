package dev.strand.autograd;

import static dev.strand.autograd.Broadcasting.sumTo;

import dev.strand.tensor.Tensor;

/** Matrix products. */
public final class LinearAlgebra {
    private LinearAlgebra() {}

    /**
     * Batched matrix product with broadcast batch dims, [..., m, k] · [..., k, n] → [..., m, n]
     * (1-d operands as in {@link Tensor#matmul}). dA = dC · Bᵀ and dB = Aᵀ · dC, summed over
     * batch dims that were broadcast; the transposes are views, so no operand is copied.
     */
    public static Variable matmul(Variable a, Variable b) {
        if (a.dim() == 1) return matmul(a.unsqueeze(0), b).squeeze(-2);
        if (b.dim() == 1) return matmul(a, b.unsqueeze(1)).squeeze(-1);
        Tensor out = a.data().matmul(b.data());
        return Variable.result("matmul", out, g -> {
            if (a.requiresGrad()) a.accumulate(sumTo(g.matmul(b.data().transpose(-1, -2)), a.shape()));
            if (b.requiresGrad()) b.accumulate(b.dim() == 2 ? rowsOf(a.data()).transpose(0, 1).matmul(rowsOf(g))   // [k, n]: one product over all rows
                    : sumTo(a.data().transpose(-1, -2).matmul(g), b.shape()));
        }, a, b);
    }

    /**
     * A linear layer, x·Wᵀ + b: x [..., in], weight [out, in], bias [out] or null → [..., out], as
     * one op (PyTorch's addmm): the bias is added into the product's fresh output, not into a
     * second tensor. dx = dY·W, dW = dYᵀ·x and db = dY summed over rows, each over all rows at once.
     */
    public static Variable linear(Variable x, Variable weight, Variable bias) {
        Tensor out = x.data().matmul(weight.data().transpose(0, 1));                           // [..., out]
        if (bias != null) out.addInPlace(bias.data());                                          // [..., out]
        Variable[] inputs = bias == null ? new Variable[] {x, weight} : new Variable[] {x, weight, bias};
        return Variable.result("linear", out, g -> {
            if (x.requiresGrad()) x.accumulate(g.matmul(weight.data()));                                        // [..., in]
            if (weight.requiresGrad()) weight.accumulate(rowsOf(g).transpose(0, 1).matmul(rowsOf(x.data())));   // [out, in]
            if (bias != null && bias.requiresGrad()) bias.accumulate(rowsOf(g).sum(0, false));                  // [out]
        }, inputs);
    }

    /** [..., r, c] → [(…·r), c]: a linear layer's inputs or gradients as one matrix of rows. */
    private static Tensor rowsOf(Tensor t) {
        return t.reshape(-1, t.size(-1));
    }
}

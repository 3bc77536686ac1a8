package dev.strand.nn;

import dev.strand.autograd.Variable;
import dev.strand.tensor.Tensor;

/** Layer normalisation over the last dim with a learned scale and shift (one fused kernel each way). */
public final class LayerNorm extends Module {
    public final Variable weight, bias;
    public final float eps;

    public LayerNorm(int dim, float eps) {
        this.weight = parameter("weight", Tensor.ones(dim));
        this.bias = parameter("bias", Tensor.zeros(dim));
        this.eps = eps;
    }

    public LayerNorm(int dim) {
        this(dim, 1e-5f);
    }

    public Variable forward(Variable x) {
        return x.layerNorm(weight, bias, eps);
    }
}

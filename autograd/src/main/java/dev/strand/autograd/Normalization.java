package dev.strand.autograd;

import dev.strand.tensor.Tensor;

/** Softmax, log-softmax and layer norm, each with a fused backward kernel. */
public final class Normalization {
    private Normalization() {}

    public static Variable softmax(Variable a, int dim) {
        Tensor y = a.data().softmax(dim);
        return Variable.result("softmax", y, g -> a.accumulate(y.softmaxBackward(g, dim, false)), a);
    }

    public static Variable logSoftmax(Variable a, int dim) {
        Tensor y = a.data().logSoftmax(dim);
        return Variable.result("logSoftmax", y, g -> a.accumulate(y.softmaxBackward(g, dim, true)), a);
    }

    /** Layer norm over the last dim; weight and bias ([C]) may be null. */
    public static Variable layerNorm(Variable x, Variable weight, Variable bias, float eps) {
        Tensor.LayerNormResult r = x.data().layerNorm(weight == null ? null : weight.data(), bias == null ? null : bias.data(), eps);
        Variable[] inputs = weight == null && bias == null ? new Variable[] {x}
                : weight == null ? new Variable[] {x, bias} : bias == null ? new Variable[] {x, weight} : new Variable[] {x, weight, bias};
        return Variable.result("layerNorm", r.out(), g -> {
            Tensor.LayerNormGrads grads = x.data().layerNormBackward(weight == null ? null : weight.data(), r, g,
                    weight != null && weight.requiresGrad(), bias != null && bias.requiresGrad());
            x.accumulate(grads.input());
            if (weight != null) weight.accumulate(grads.weight());
            if (bias != null) bias.accumulate(grads.bias());
        }, inputs);
    }
}

package dev.strand.nn;

import dev.strand.autograd.Variable;
import dev.strand.tensor.Generator;

/** y = x·Wᵀ + b, with W [out, in] as in PyTorch. */
public final class Linear extends Module {
    public final int inFeatures, outFeatures;
    public final Variable weight;
    public final Variable bias;   // null without bias

    /** Initialised as nn.Linear: Kaiming-uniform weight and bias, U(±1/√in). */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = parameter("weight", Init.kaimingUniform(gen, inFeatures, outFeatures, inFeatures));
        this.bias = bias ? parameter("bias", Init.kaimingUniform(gen, inFeatures, outFeatures)) : null;
    }

    /** [..., in] → [..., out]. The transpose is a view: the matmul kernel reads W through its strides. */
    public Variable forward(Variable x) {
        Variable y = x.matmul(weight.transpose(0, 1));
        return bias == null ? y : y.add(bias);
    }
}

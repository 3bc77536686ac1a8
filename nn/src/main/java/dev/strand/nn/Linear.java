package dev.strand.nn;

import dev.strand.autograd.LinearAlgebra;
import dev.strand.autograd.Variable;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;

/**
 * y = x·Wᵀ + b, with W [out, in] as in PyTorch; with a LoRA adapter ({@link #addLora}),
 * y = x·Wᵀ + b + s·B·A·dropout(x).
 */
public final class Linear extends Module {
    public final int inFeatures, outFeatures;
    public final Variable weight;
    public final Variable bias;   // null without bias
    private LoraAdapter lora;     // null unless adapted

    /** Initialised as nn.Linear: Kaiming-uniform weight and bias, U(±1/√in). */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator gen) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = parameter("weight", Init.kaimingUniform(gen, inFeatures, outFeatures, inFeatures));
        this.bias = bias ? parameter("bias", Init.kaimingUniform(gen, inFeatures, outFeatures)) : null;
    }

    /** A layer without bias holding {@code weight} [out, in]. */
    private Linear(Tensor weight) {
        this.inFeatures = weight.size(1);
        this.outFeatures = weight.size(0);
        this.weight = parameter("weight", weight);
        this.bias = null;
    }

    /** [..., in] → [..., out]. The transpose is a view: the matmul kernel reads W through its strides. */
    public Variable forward(Variable x) {
        Variable y = LinearAlgebra.linear(x, weight, bias);
        return lora == null || lora.merged() ? y : y.add(lora.forward(x));
    }

    /**
     * Attaches a LoRA adapter of rank {@code r} scaled by {@code scale} (α/r, or α/√r for rsLoRA),
     * as PEFT builds one: A [r, in] Kaiming-uniform, B [out, r] zero, so the layer's outputs do not
     * change until B learns. Its parameters are this layer's children {@code lora_A} and
     * {@code lora_B}, so their names end as PEFT's do ({@code …query.lora_A.weight}); W and b keep
     * theirs. Freezing W and b is the caller's choice.
     */
    public LoraAdapter addLora(int r, float scale, float dropout, Generator gen) {
        if (lora != null) throw new IllegalStateException("this layer already carries a LoRA adapter");
        if (r < 1) throw new IllegalArgumentException("LoRA rank r must be at least 1, got " + r);
        Linear a = child("lora_A", new Linear(inFeatures, r, false, gen));
        Linear b = child("lora_B", new Linear(Tensor.zeros(outFeatures, r)));
        Dropout d = child("lora_dropout", new Dropout(dropout, gen));
        lora = new LoraAdapter(this, a, b, d, scale);
        return lora;
    }

    /** The adapter, or null. */
    public LoraAdapter lora() {
        return lora;
    }
}

package dev.strand.nn;

import dev.strand.autograd.Variable;
import dev.strand.tensor.Tensor;

/**
 * Low-rank adaptation of one {@link Linear} (Hu et al. 2021; PEFT's {@code lora.Linear}): the
 * layer's output gains s·B·A·dropout(x), with A [r, in] and B [out, r] trained while W stays
 * frozen. {@link #merge} folds s·B·A into W for inference at the base layer's cost, and
 * {@link #unmerge} takes it out again; both compute in float32.
 */
public final class LoraAdapter {
    /** The adapted layer, and the adapter's own layers: A (in → r) and B (r → out), no biases. */
    public final Linear base, a, b;
    public final Dropout dropout;
    /** s: α/r, or α/√r with rsLoRA. */
    public final float scale;
    private boolean merged;

    LoraAdapter(Linear base, Linear a, Linear b, Dropout dropout, float scale) {
        this.base = base;
        this.a = a;
        this.b = b;
        this.dropout = dropout;
        this.scale = scale;
    }

    /** The rank r. */
    public int rank() {
        return a.outFeatures;
    }

    /** x [..., in] → s·B·A·dropout(x) [..., out]. */
    public Variable forward(Variable x) {
        return b.forward(a.forward(dropout.forward(x))).mul(scale);
    }

    /** Whether s·B·A is folded into the base weight (the adapter branch then adds nothing). */
    public boolean merged() {
        return merged;
    }

    /** W ← W + s·B·A. */
    public void merge() {
        if (merged) throw new IllegalStateException("this adapter is already merged");
        base.weight.data().copyFrom(base.weight.data().add(delta()));
        merged = true;
    }

    /** W ← W − s·B·A: the base weight again, up to float rounding. */
    public void unmerge() {
        if (!merged) throw new IllegalStateException("this adapter is not merged");
        base.weight.data().copyFrom(base.weight.data().sub(delta()));
        merged = false;
    }

    /** s·B·A [out, in]. */
    private Tensor delta() {
        return b.weight.data().matmul(a.weight.data()).mul(scale);
    }
}

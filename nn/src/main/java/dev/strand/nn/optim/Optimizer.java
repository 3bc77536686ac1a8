package dev.strand.nn.optim;

import dev.strand.autograd.Variable;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates named parameters from their gradients. Parameters that are frozen or received no
 * gradient are skipped. {@link #state()} and {@link #loadState} carry everything an exact resume
 * needs (moments, step count, learning rate).
 */
public abstract class Optimizer {
    protected final Map<String, Variable> params;
    protected final Map<String, Float> weightDecay = new LinkedHashMap<>();
    protected float lr;
    protected int step;

    /**
     * @param params       parameters by name (e.g. {@code model.namedParameters()})
     * @param weightDecay  applied to parameters with two or more dims only: weight matrices and
     *                     embeddings decay, biases and norm scales do not (as nanoGPT and BERT)
     */
    protected Optimizer(Map<String, Variable> params, float lr, float weightDecay) {
        this.params = new LinkedHashMap<>(params);
        this.lr = lr;
        params.forEach((name, p) -> this.weightDecay.put(name, p.dim() >= 2 ? weightDecay : 0f));
    }

    /** Applies one update from the current gradients. */
    public final void step() {
        step++;
        for (var e : params.entrySet()) {
            Variable p = e.getValue();
            if (p.requiresGrad() && p.grad() != null) update(e.getKey(), p.data(), p.grad(), weightDecay.get(e.getKey()));
        }
    }

    /** Updates one parameter tensor in place. */
    protected abstract void update(String name, Tensor param, Tensor grad, float weightDecay);

    /** Forgets all gradients. */
    public final void zeroGrad() {
        for (Variable p : params.values()) p.zeroGrad();
    }

    public final float lr() {
        return lr;
    }

    /** Sets the learning rate (schedules call this before each step). */
    public final void setLr(float lr) {
        this.lr = lr;
    }

    /** Steps taken so far. */
    public final int stepCount() {
        return step;
    }

    /** Buffers by name ("exp_avg/encoder.layers.0…"), for checkpoints. */
    public abstract Map<String, Tensor> state();

    /** Restores buffers saved by {@link #state()} and the step count. */
    public abstract void loadState(Map<String, Tensor> state, int step);

    protected void restoreStep(int step) {
        this.step = step;
    }

    /**
     * Scales all gradients so their global L2 norm is at most {@code maxNorm}; returns the norm
     * before clipping. The squares are summed where the gradients live, so a device crosses one
     * number to the host, not one per parameter.
     */
    public static float clipGradNorm(List<Variable> params, float maxNorm) {
        Tensor squares = null;
        List<Variable> withGrad = new ArrayList<>();
        for (Variable p : params) {
            if (p.grad() == null) continue;
            withGrad.add(p);
            Tensor s = p.grad().square().sum();                          // scalar
            squares = squares == null ? s : squares.add(s);
        }
        if (squares == null) return 0f;
        float norm = (float) Math.sqrt(squares.item());
        if (norm > maxNorm) {
            float factor = maxNorm / (norm + 1e-6f);
            for (Variable p : withGrad) p.scaleGrad(factor);
        }
        return norm;
    }
}

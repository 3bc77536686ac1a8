package dev.strand.nn.optim;

import dev.strand.autograd.Variable;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates named parameters from their gradients, in groups that each have their own learning-rate
 * scale and weight decay (a fine-tuned head learning faster than its encoder, say). Parameters
 * that are frozen or received no gradient are skipped and hold no optimizer state.
 * {@link #state()} and {@link #loadState} carry everything an exact resume needs (moments, step
 * count, learning rate).
 */
public abstract class Optimizer {
    /**
     * Parameters trained together.
     *
     * @param params      parameters by name (names are unique across all groups)
     * @param lrScale     this group's learning rate over the optimizer's ({@link #lr()}, which a
     *                    schedule sets); 0 leaves the group unchanged
     * @param weightDecay applied to the group's parameters with two or more dims only: weight
     *                    matrices and embeddings decay, biases and norm scales do not (as nanoGPT and BERT)
     */
    public record ParamGroup(Map<String, Variable> params, float lrScale, float weightDecay) {
        public ParamGroup {
            params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
            if (!(lrScale >= 0)) throw new IllegalArgumentException("a group's learning-rate scale must be non-negative, got " + lrScale);
        }

        /** A group at the optimizer's learning rate. */
        public static ParamGroup of(Map<String, Variable> params, float weightDecay) {
            return new ParamGroup(params, 1f, weightDecay);
        }
    }

    protected final List<ParamGroup> groups;
    protected float lr;
    protected int step;

    /** One group: every parameter at the optimizer's learning rate with this weight decay. */
    protected Optimizer(Map<String, Variable> params, float lr, float weightDecay) {
        this(List.of(ParamGroup.of(params, weightDecay)), lr);
    }

    protected Optimizer(List<ParamGroup> groups, float lr) {
        this.groups = List.copyOf(groups);
        this.lr = lr;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (ParamGroup g : this.groups) {
            for (String name : g.params().keySet()) {
                if (!names.add(name)) throw new IllegalArgumentException("parameter '" + name + "' is in two optimizer groups");
            }
        }
    }

    /** Applies one update from the current gradients. */
    public final void step() {
        step++;
        for (ParamGroup g : groups) {
            float groupLr = lr * g.lrScale();
            for (var e : g.params().entrySet()) {
                Variable p = e.getValue();
                if (p.requiresGrad() && p.grad() != null) update(e.getKey(), p.data(), p.grad(), p.dim() >= 2 ? g.weightDecay() : 0f, groupLr);
            }
        }
    }

    /** The parameter groups, in order. */
    public final List<ParamGroup> groups() {
        return groups;
    }

    /** Updates one parameter tensor in place at learning rate {@code lr}. */
    protected abstract void update(String name, Tensor param, Tensor grad, float weightDecay, float lr);

    /** Forgets all gradients. */
    public final void zeroGrad() {
        for (ParamGroup g : groups) g.params().values().forEach(Variable::zeroGrad);
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

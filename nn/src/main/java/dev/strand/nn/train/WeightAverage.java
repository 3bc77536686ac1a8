package dev.strand.nn.train;

import dev.strand.autograd.Variable;
import dev.strand.nn.Module;
import dev.strand.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An exponential moving average of a model's trainable weights (Polyak averaging): after each
 * optimizer step, average ← d·average + (1 − d)·weights, with d = min(decay, (1 + n) / (10 + n))
 * after n updates so that the first steps' weights do not linger (TensorFlow's
 * {@code ExponentialMovingAverage} with {@code num_updates}). Scoring and keeping the average
 * instead of the last weights smooths out the noise of the last steps. As a {@link
 * TrainingListener} it updates after every step; {@link #evaluated} scores with the average in place.
 */
public final class WeightAverage implements TrainingListener {
    private final Map<String, Variable> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> average = new LinkedHashMap<>();
    private final float decay;
    private long updates;

    /** @param decay the average's decay per step, in (0, 1): 0.99 remembers about the last 100 steps */
    public WeightAverage(Module model, float decay) {
        if (!(decay > 0 && decay < 1)) throw new IllegalArgumentException("weight-average decay must be in (0, 1), got " + decay);
        this.decay = decay;
        model.namedParameters().forEach((name, p) -> {
            if (!p.requiresGrad()) return;                           // frozen weights (under LoRA) do not move
            parameters.put(name, p);
            average.put(name, p.data().copy());
        });
    }

    @Override
    public void step(StepReport report) {
        float d = Math.min(decay, (1f + updates) / (10f + updates));
        updates++;
        parameters.forEach((name, p) -> {
            Tensor a = average.get(name);
            a.copyFrom(a.mul(d).add(p.data().mul(1 - d)));
        });
    }

    /** Runs {@code body} with the average in the model's place, then puts the trained weights back. */
    public <T> T evaluated(Supplier<T> body) {
        Map<String, Tensor> trained = new LinkedHashMap<>();
        parameters.forEach((name, p) -> {
            trained.put(name, p.data().copy());
            p.data().copyFrom(average.get(name));
        });
        try {
            return body.get();
        } finally {
            parameters.forEach((name, p) -> p.data().copyFrom(trained.get(name)));
        }
    }

    /** An evaluation that scores the average (and keeps it, when the evaluation copies the weights it likes). */
    public TrainingLoop.Evaluation around(TrainingLoop.Evaluation evaluation) {
        return step -> evaluated(() -> evaluation.evaluate(step));
    }
}

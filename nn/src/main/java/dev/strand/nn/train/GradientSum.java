package dev.strand.nn.train;

import dev.strand.autograd.Variable;
import dev.strand.tensor.Tensor;
import java.util.List;

/**
 * A step's gradient from its parts: their summed-loss gradients added in the order given, then
 * divided by their total weight. Every layout of the same parts (one process, replicas holding one
 * or several each) does exactly this arithmetic, so they agree bit for bit.
 */
public final class GradientSum {
    private float[][] sum;
    private double lossSum;
    private float weight;
    private long examples;

    /** Adds the next part. */
    public void add(PartGradients part) {
        lossSum += part.lossSum();
        weight += part.weight();
        examples += part.examples();
        if (sum == null) {
            sum = new float[part.gradients().length][];
            for (int i = 0; i < sum.length; i++) sum[i] = part.gradients()[i].clone();
        } else {
            for (int i = 0; i < sum.length; i++) {
                float[] s = sum[i], g = part.gradients()[i];
                for (int j = 0; j < s.length; j++) s[j] += g[j];
            }
        }
    }

    /** Puts the mean gradient into {@code parameters}' (zeroed) gradients; returns the step's mean loss and examples. */
    public GradientSource.Step applyTo(List<Variable> parameters) {
        if (!(weight > 0)) throw new IllegalStateException("no part of this step had anything to predict");
        for (int i = 0; i < sum.length; i++) {
            float[] g = sum[i];
            for (int j = 0; j < g.length; j++) g[j] /= weight;
            parameters.get(i).accumulate(Tensor.of(g, parameters.get(i).shape()));
        }
        return new GradientSource.Step((float) (lossSum / weight), examples);
    }
}

package dev.strand.nn.train;

import dev.strand.autograd.Variable;
import dev.strand.nn.BatchNorm;
import dev.strand.nn.Module;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A step's gradient from its parts: their summed-loss gradients added in the order given, then
 * divided by their total weight; and their batch-norm statistics replayed in the same order. Every
 * layout of the same parts (one process, replicas holding one or several each) does exactly this
 * arithmetic, so they agree bit for bit.
 */
public final class GradientSum {
    private final List<PartGradients> parts = new ArrayList<>();

    /** Adds the next part. */
    public void add(PartGradients part) {
        parts.add(part);
    }

    /**
     * Puts the mean gradient into {@code model}'s (zeroed) gradients and moves its batch norms'
     * running estimates by each part's statistics; returns the step's mean loss and examples.
     */
    public GradientSource.Step applyTo(Module model) {
        float[][] sum = null;
        double lossSum = 0;
        float weight = 0;
        long examples = 0;
        for (PartGradients part : parts) {
            lossSum += part.lossSum();
            weight += part.weight();
            examples += part.examples();
            float[][] g = part.gradients();
            if (sum == null) {
                sum = new float[g.length][];
                for (int i = 0; i < g.length; i++) sum[i] = g[i] == null ? null : g[i].clone();
            } else {
                for (int i = 0; i < g.length; i++) {
                    if (g[i] == null) continue;
                    float[] s = sum[i];
                    for (int j = 0; j < s.length; j++) s[j] += g[i][j];
                }
            }
        }
        if (!(weight > 0)) throw new IllegalStateException("no part of this step had anything to predict");
        List<Variable> parameters = List.copyOf(model.namedParameters().values());
        for (int i = 0; i < sum.length; i++) {
            if (sum[i] == null) continue;                                       // frozen
            float[] g = sum[i];
            for (int j = 0; j < g.length; j++) g[j] /= weight;
            parameters.get(i).accumulate(Tensor.of(g, parameters.get(i).shape()));
        }
        List<BatchNorm> norms = PartGradients.batchNorms(model);
        for (PartGradients part : parts) {
            for (int i = 0; i < norms.size(); i++) if (part.statistics().get(i) != null) norms.get(i).advance(part.statistics().get(i));
        }
        return new GradientSource.Step((float) (lossSum / weight), examples);
    }
}

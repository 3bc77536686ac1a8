package dev.strand.nn.train;

import dev.strand.autograd.Variable;
import dev.strand.nn.Module;
import dev.strand.tensor.Tensor;
import java.io.Serializable;
import java.util.List;

/**
 * One part of a step (a data shard, a replica's rows): the gradient of its summed loss, by one
 * forward and backward pass, as plain arrays that can travel. {@link GradientSum} adds parts.
 *
 * @param gradients per parameter, in the model's parameter order
 * @param lossSum   the part's summed loss
 * @param weight    what the sums are divided by (masked tokens, rows)
 * @param examples  what the part held, in progress units
 */
public record PartGradients(float[][] gradients, double lossSum, float weight, long examples) implements Serializable {
    /** The gradients of {@code replica}'s loss of {@code rows} on {@code model}, whose gradients it zeroes first and leaves filled. */
    public static PartGradients of(ShardedObjective.Replica replica, Module model, Batch rows) {
        model.zeroGrad();
        ShardedObjective.Part part = replica.loss(model, rows);
        if (part.sum() != null) part.sum().backward();
        List<Variable> params = List.copyOf(model.namedParameters().values());
        float[][] grads = new float[params.size()][];
        for (int i = 0; i < grads.length; i++) {
            Tensor g = params.get(i).grad();
            grads[i] = g == null ? new float[params.get(i).data().numel()] : g.toFloatArray();
        }
        return new PartGradients(grads, part.sum() == null ? 0 : part.sum().item(), part.weight(), part.examples());
    }
}

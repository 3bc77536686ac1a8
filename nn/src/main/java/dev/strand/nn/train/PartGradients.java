package dev.strand.nn.train;

import dev.strand.autograd.Variable;
import dev.strand.nn.BatchNorm;
import dev.strand.nn.Dropout;
import dev.strand.nn.Module;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One part of a step (a data shard, a replica's rows): the gradient of its summed loss, by one
 * forward and backward pass, as plain arrays that can travel; and the batch statistics its batch
 * norms saw, which {@link GradientSum} replays on the trained model in part order. {@link
 * GradientSum} adds parts.
 *
 * @param gradients  per parameter, in the model's parameter order; null for a frozen one
 * @param lossSum    the part's summed loss
 * @param weight     what the sums are divided by (masked tokens, rows)
 * @param examples   what the part held, in progress units
 * @param statistics per {@link BatchNorm} of the model, in module order: the part's batch statistics, or null
 */
public record PartGradients(float[][] gradients, double lossSum, float weight, long examples,
                            List<BatchNorm.Statistics> statistics) implements Serializable {
    /**
     * The gradients of {@code replica}'s loss of {@code rows} on {@code model}, whose gradients it
     * zeroes first and leaves filled. The model's batch-norm running estimates are left as they were.
     *
     * @param dropoutSeed seeds every dropout mask of the pass (the same on any replica), or null for
     *                    the model's own dropout generators
     */
    public static PartGradients of(ShardedObjective.Replica replica, Module model, Batch rows, Long dropoutSeed) {
        List<Dropout> dropouts = new ArrayList<>();
        for (Module m : model.namedModules().values()) if (m instanceof Dropout d) dropouts.add(d);
        Generator masks = dropoutSeed == null ? null : new Generator(dropoutSeed);
        dropouts.forEach(d -> d.drawFrom(masks));
        try {
            return pass(replica, model, rows);
        } finally {
            dropouts.forEach(d -> d.drawFrom(null));
        }
    }

    private static PartGradients pass(ShardedObjective.Replica replica, Module model, Batch rows) {
        List<BatchNorm> norms = batchNorms(model);
        List<Tensor[]> running = new ArrayList<>();
        List<BatchNorm.Statistics> before = new ArrayList<>();
        for (BatchNorm n : norms) {
            running.add(new Tensor[] {n.runningMean.copy(), n.runningVar.copy()});
            before.add(n.lastBatch());
        }
        model.zeroGrad();
        ShardedObjective.Part part = replica.loss(model, rows);
        if (part.sum() != null) part.sum().backward();
        List<Variable> params = List.copyOf(model.namedParameters().values());
        float[][] grads = new float[params.size()][];
        for (int i = 0; i < grads.length; i++) {
            Variable p = params.get(i);
            if (!p.requiresGrad()) continue;
            grads[i] = p.grad() == null ? new float[p.data().numel()] : p.grad().toFloatArray();
        }
        List<BatchNorm.Statistics> statistics = new ArrayList<>();
        for (int i = 0; i < norms.size(); i++) {
            BatchNorm n = norms.get(i);
            statistics.add(n.lastBatch() == before.get(i) ? null : n.lastBatch());    // null: not normalised in training here
            n.setRunning(running.get(i)[0], running.get(i)[1]);
        }
        return new PartGradients(grads, part.sum() == null ? 0 : part.sum().item(), part.weight(), part.examples(), statistics);
    }

    /** The model's batch norms, in module order. */
    static List<BatchNorm> batchNorms(Module model) {
        List<BatchNorm> out = new ArrayList<>();
        for (Module m : model.namedModules().values()) if (m instanceof BatchNorm n) out.add(n);
        return out;
    }
}

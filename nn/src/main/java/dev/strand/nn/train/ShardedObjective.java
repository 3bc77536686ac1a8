package dev.strand.nn.train;

import dev.strand.autograd.Variable;
import dev.strand.nn.Module;
import dev.strand.nn.loss.Losses;
import dev.strand.tensor.Tensor;
import java.io.Serializable;
import java.util.function.Supplier;

/**
 * An objective whose batches split by rows among data-parallel replicas. The driver draws each
 * global batch ({@link #nextBatch}, with all of the step's randomness: order, masks); a replica
 * computes the summed loss of its rows ({@link Replica#loss}); the step's loss is the sum of those
 * sums over the sum of their weights (masked tokens, rows). {@link #next} computes the same in one
 * piece, so a run on one machine and one on many minimise the same function.
 */
public interface ShardedObjective extends Objective {
    /** The model trained here, whose parameters the replicas copy. */
    Module model();

    /** The next global batch. */
    Batch nextBatch();

    /**
     * The next step's data when the replicas draw their own rows ({@link ShardedData}), advancing
     * the data stream as {@link #nextBatch} does; null when this objective's batches are drawn here
     * and shipped to the replicas.
     */
    default Draw nextDraw() {
        return null;
    }

    /** One step of {@link ShardedData}: the data and the draw's number. */
    record Draw(ShardedData data, long step) implements Serializable {
        /** Shards {@code from} … {@code to − 1} of this step. */
        public Batch shards(int from, int to) {
            return data.draw(step, from, to);
        }
    }

    /** How a replica is built and scores rows, in a form that travels to other machines. */
    Replica replica();

    @Override
    default Loss next() {
        Part p = replica().loss(model(), nextBatch());
        return new Loss(p.sum().div(p.weight()), p.examples());
    }

    /**
     * A model of the objective's shape and its loss on some rows; serialisable, so a cluster can
     * build one per task.
     */
    interface Replica extends Serializable {
        /** A fresh model of the trained model's shape (its weights are copied in before use). */
        Module build();

        /** The summed loss of {@code rows} on {@code model}, with what it is to be divided by. */
        Part loss(Module model, Batch rows);
    }

    /**
     * @param sum      the rows' summed loss, a scalar with a graph to the parameters
     * @param weight   what the sums are divided by in total (masked tokens, rows); &gt; 0
     * @param examples what the rows hold, in the unit progress is counted in
     */
    record Part(Variable sum, float weight, long examples) {
        /**
         * A part whose loss is a mean over its labels other than {@link Losses#IGNORE_INDEX}: that
         * mean times their count, weighted by the count; with no such label, nothing to predict
         * (the mean is then not computed).
         */
        public static Part overLabels(Tensor labels, long examples, Supplier<Variable> mean) {
            int counted = 0;
            for (int l : labels.toIntArray()) if (l != Losses.IGNORE_INDEX) counted++;
            return counted == 0 ? new Part(null, 0f, examples) : new Part(mean.get().mul((float) counted), counted, examples);
        }
    }
}

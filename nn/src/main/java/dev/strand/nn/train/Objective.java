package dev.strand.nn.train;

import dev.strand.autograd.Variable;

/**
 * What a {@link TrainingLoop} minimises: masked or causal language modelling, classification,
 * regression. Each call draws the next batch from the objective's own data and generators and
 * returns the loss of a forward pass over it; the loop does the rest (backward, clipping, the
 * update), so it never needs to know what kind of model it trains.
 */
@FunctionalInterface
public interface Objective {
    /** The loss of the next batch. */
    Loss next();

    /**
     * @param value    the batch's loss, a scalar with a graph back to the parameters
     * @param examples what the batch held, in the unit progress is counted in (rows, tokens)
     */
    record Loss(Variable value, long examples) {}
}

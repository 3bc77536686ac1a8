package dev.strand.spark;

import java.io.Serializable;

/**
 * What one replica sends back for one step.
 *
 * @param gradients the gradient of the shard's summed loss for each parameter, in the model's parameter order
 * @param lossSum   the shard's summed loss
 * @param weight    what the sums are divided by (the shard's masked tokens, rows)
 * @param examples  what the shard held, in progress units
 * @param seconds   the task's own time: copying the weights in, forward and backward
 */
record ShardResult(float[][] gradients, double lossSum, float weight, long examples, double seconds) implements Serializable {}

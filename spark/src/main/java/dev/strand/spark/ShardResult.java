package dev.strand.spark;

import dev.strand.nn.train.PartGradients;
import java.io.Serializable;
import java.util.List;

/**
 * What one replica sends back for one step.
 *
 * @param parts   each of its parts' gradients, in order (one per data shard it drew, or one for the rows it was sent)
 * @param seconds the task's own time: copying the weights in, forward and backward passes
 */
record ShardResult(List<PartGradients> parts, double seconds) implements Serializable {}

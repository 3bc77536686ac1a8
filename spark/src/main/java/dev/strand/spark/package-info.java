/**
 * Synchronous data-parallel training on Apache Spark: {@link dev.strand.spark.SparkGradients} is a
 * {@link dev.strand.nn.train.GradientSource} whose every step runs one Spark job of one task per
 * replica; each task computes the summed loss and gradients of its shard of the global batch, and
 * the driver adds them in partition order and hands them to the ordinary training loop, which
 * clips, updates and checkpoints as it does on one machine. An optional module: nothing else in
 * Strand depends on it.
 */
package dev.strand.spark;

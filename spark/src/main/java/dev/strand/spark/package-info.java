/**
 * Synchronous data-parallel training on Apache Spark: {@link dev.strand.spark.SparkGradients} is a
 * {@link dev.strand.nn.train.GradientSource} whose every step runs one Spark job of one task per
 * replica; each task draws its data shards (reading their DNA through Hadoop, {@link
 * dev.strand.spark.HadoopFasta}) or takes the rows the driver sent, and returns each part's summed
 * loss, gradients and batch-norm statistics; the driver adds them in order ({@link
 * dev.strand.nn.train.GradientSum}) and hands them to the ordinary training loop, which clips,
 * updates and checkpoints as it does on one machine. An optional module: nothing else in Strand
 * depends on it.
 */
package dev.strand.spark;

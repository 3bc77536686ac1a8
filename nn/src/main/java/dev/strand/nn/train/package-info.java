/**
 * The one training loop ({@link dev.strand.nn.train.TrainingLoop}) for every kind of training:
 * steps, gradient accumulation, clipping, the schedule, evaluation and checkpoint cadence, exact
 * resume, and {@link dev.strand.nn.train.TrainingListener}s for progress bars and metrics logs.
 * What is learned is an {@link dev.strand.nn.train.Objective} the loop calls (masked or causal
 * language modelling, classification, regression), never a branch on the model's class. Where a
 * step's gradients come from is a {@link dev.strand.nn.train.GradientSource}: this process, or
 * data-parallel replicas computing parts of a {@link dev.strand.nn.train.ShardedObjective}'s batch
 * ({@link dev.strand.nn.train.PartGradients}, added by {@link dev.strand.nn.train.GradientSum}).
 *
 * <p>Uses {@code dev.strand.nn} (Module), its {@code optim} and {@code checkpoint} packages, autograd and tensor.
 */
package dev.strand.nn.train;

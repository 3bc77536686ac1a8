/**
 * Layers, attention, optimizers, schedules and checkpoints, built on {@code dev.strand.autograd}.
 * Knows nothing of DNA. Arrives with the nn issue.
 */
package dev.strand.nn;

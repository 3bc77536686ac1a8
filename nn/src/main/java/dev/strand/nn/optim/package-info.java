/**
 * Optimizers and learning-rate schedules: {@link dev.strand.nn.optim.Optimizer} with parameter
 * groups (per-group learning-rate scale and weight decay; frozen parameters hold no state) and
 * global-norm clipping, SGD with momentum, Adam and AdamW (one fused kernel per parameter), and
 * warmup with cosine, linear or cyclical decay. Uses autograd and tensor only.
 */
package dev.strand.nn.optim;

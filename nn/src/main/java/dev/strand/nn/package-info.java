/**
 * Modules and layers, built on {@code dev.strand.autograd}: {@link dev.strand.nn.Module} (named
 * parameters, buffers and submodules, as PyTorch's nn.Module), Linear, Embedding, LayerNorm,
 * BatchNorm, Dropout and the feed-forward MLP. Its subpackages build on it: {@code attention}
 * (self-attention and masks), {@code transformer} (blocks, encoders and models), {@code loss},
 * {@code optim}, {@code checkpoint}, {@code generate} (sampling) and {@code train} (the one
 * training loop).
 *
 * <p>nn knows nothing of DNA; it may use autograd and tensor (and Jackson for configs), never
 * genomics or the app, and never a device-specific backend.
 */
package dev.strand.nn;

/**
 * Float32 and int32 n-d tensors: {@link dev.strand.tensor.Tensor} is a strided view over a
 * {@link dev.strand.tensor.Storage} on one {@link dev.strand.tensor.Device}; every operation
 * checks its arguments and then runs one kernel of the device's {@link dev.strand.tensor.Backend}.
 * {@link dev.strand.tensor.Backends} finds that backend: the CPU one ({@code dev.strand.tensor.cpu})
 * and others (OpenCL) all plug in through {@link java.util.ServiceLoader}, so nothing here names
 * them. The causal mask of attention is {@link dev.strand.tensor.CausalMask}, written once. Fused optimizer updates are in {@link dev.strand.tensor.OptimizerKernels}, off the
 * tensor API.
 *
 * <p>Tensors know nothing of gradients (that is {@code dev.strand.autograd}). This package
 * depends on nothing else in Strand: only the JDK.
 */
package dev.strand.tensor;

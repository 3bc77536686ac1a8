/**
 * The OpenCL backend behind {@code dev.strand.tensor.Backend}, through JOCL: device tensors live in
 * pooled OpenCL buffers and every tensor kernel runs as an OpenCL C kernel (the {@code .cl} files
 * under {@code dev/strand/opencl/kernels/}, built once per device). It registers itself for the
 * device kind {@code opencl} ({@code opencl:N} is the N-th device that {@link
 * dev.strand.opencl.OpenClDevices#list()} reports), so {@code Backends.of(Device.parse("opencl"))},
 * {@code tensor.to(device)} and {@code Backends.setDefaultDevice(device)} reach it without naming it.
 *
 * <p>It uses only {@code dev.strand.tensor} and JOCL. {@link java.util.ServiceLoader} finds it through
 * {@code META-INF/services/dev.strand.tensor.Backends$BackendProvider}, which names
 * {@link dev.strand.opencl.OpenClBackendProvider}; autograd, nn and genomics never name it and run
 * unchanged on its tensors. Only the device listings of the command line ({@code strand devices})
 * and the benchmarks import its classes.
 */
package dev.strand.opencl;

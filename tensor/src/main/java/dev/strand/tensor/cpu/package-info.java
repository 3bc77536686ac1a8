/**
 * The CPU backend, {@link dev.strand.tensor.cpu.CpuBackend}, registered through ServiceLoader by
 * {@link dev.strand.tensor.cpu.CpuBackendProvider} as every backend is: heap storage and kernels on
 * the Vector API ({@code jdk.incubator.vector}), each with a scalar twin that runs when SIMD is off
 * ({@link dev.strand.tensor.cpu.Simd}) and that the tests take as the reference; one shared pool,
 * {@link dev.strand.tensor.cpu.Parallel}, splits them across cores.
 *
 * <p>Uses only {@code dev.strand.tensor} and the JDK. Layers above reach it through
 * {@code Backends.of(Device.CPU)}, never by name; only the command line's {@code strand info}
 * and the benchmarks read {@code Parallel} (thread count) and {@code Simd} (what runs).
 */
package dev.strand.tensor.cpu;

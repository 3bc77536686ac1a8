/**
 * Measurements, not library code: JMH microbenchmarks of the CPU kernels ({@code *Benchmark},
 * packaged as {@code benchmarks.jar}), Strand's halves of the PyTorch comparisons in
 * {@code benchmarks/compare.sh} ({@link dev.strand.benchmarks.MatmulCompare},
 * {@link dev.strand.benchmarks.ModelCompare}), and {@link dev.strand.benchmarks.Devices} for the
 * GPU check. Commands are in {@code benchmarks/README.md}.
 *
 * <p>May use every layer up to {@code dev.strand.nn}, the CPU backend's thread count
 * ({@code dev.strand.tensor.cpu.Parallel}) and, to list devices and report the matmul tiling,
 * {@code dev.strand.opencl}; nothing depends on it.
 */
package dev.strand.benchmarks;

package dev.strand.benchmarks;

import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import dev.strand.tensor.cpu.Parallel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Softmax over the last dim of attention scores: batch 8 × 4 heads × 512 queries = 16384 rows of
 * 512 keys ([16384, 512], 32 MiB in, 32 MiB out), with 1 and 2 kernel threads.
 *
 * <p>Memory-bound: effective bandwidth ≈ 2 · rows · cols · 4 bytes / time (read once, write once).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class SoftmaxBenchmark {
    public static final int ROWS = 8 * 4 * 512, COLS = 512;

    @Param({"1", "2"})
    public int threads;

    Tensor x;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        x = Tensor.randn(new Generator(42), ROWS, COLS);
    }

    @Benchmark
    public Tensor softmax() {
        return x.softmax(-1);
    }
}

package dev.strand.benchmarks;

import dev.strand.tensor.BinaryOp;
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
 * The elementwise kernels the quickstart's model spends its time in, at its shapes: GELU and its
 * derivative over the feed-forward activations [16·302, 256], and the rotary rotation of queries
 * [16, 4, 302, 16] (head-split views). A plain product of the same activations ({@code mul}) is
 * the memory-bound floor to compare GELU against.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ElementwiseBenchmark {
    @Param({"1", "2"})
    public int threads;

    Tensor activations, gradient, queries, cos, sin;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        Generator gen = new Generator(42);
        activations = Tensor.randn(gen, 16 * 302, 256);
        gradient = Tensor.randn(gen, 16 * 302, 256);
        queries = Tensor.randn(gen, 16, 302, 64).view(16, 302, 4, 16).transpose(1, 2);
        cos = Tensor.randn(gen, 302, 8);
        sin = Tensor.randn(gen, 302, 8);
    }

    @Benchmark
    public Tensor gelu() {
        return activations.gelu();
    }

    @Benchmark
    public Tensor geluBackward() {
        return activations.zip(BinaryOp.GELU_ERF_BACKWARD, gradient);
    }

    @Benchmark
    public Tensor mul() {
        return activations.mul(gradient);
    }

    @Benchmark
    public Tensor rotateHalf() {
        return queries.rotateHalf(cos, sin);
    }
}

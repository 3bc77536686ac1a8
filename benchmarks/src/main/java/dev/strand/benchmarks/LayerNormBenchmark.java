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
 * Layer norm (forward, with affine weight and bias) over the last dim of transformer
 * activations: batch 8 × 512 tokens = 4096 rows of d_model = 256, with 1 and 2 kernel threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class LayerNormBenchmark {
    public static final int ROWS = 8 * 512, C = 256;
    public static final float EPS = 1e-5f;

    @Param({"1", "2"})
    public int threads;

    Tensor x;
    Tensor weight;
    Tensor bias;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        Generator gen = new Generator(42);
        x = Tensor.randn(gen, ROWS, C);
        weight = Tensor.normal(gen, 1f, 0.1f, C);
        bias = Tensor.normal(gen, 0f, 0.1f, C);
    }

    @Benchmark
    public Tensor layerNorm() {
        return x.layerNorm(weight, bias, EPS).out();
    }
}

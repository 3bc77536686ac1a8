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
 * Float32 matrix product, {@code a.matmul(b)}, including the allocation of the result (as
 * {@code torch.matmul(a, b)} does).
 *
 * <ul>
 *   <li>{@code square}: [n, n] · [n, n] for n = 256, 512, 1024, 2048 ({@code -p n=1024} picks one);
 *   <li>{@code transformer}: [4096, 256] · [256, 1024], the shape of an MLP up-projection with
 *       batch·seq = 4096 tokens, d_model = 256, d_ff = 1024.
 * </ul>
 *
 * <p>Both run with {@code threads} = 1 and 2 kernel threads ({@link Parallel#setThreads}).
 *
 * <p>Reading GFLOPS: a product of [m, k] · [k, n] is 2·m·n·k floating-point operations, so with
 * JMH's average time t in ms/op, GFLOPS = 2·m·n·k / (t · 1e6). For example n = 1024 square is
 * 2.147 GFLOP per op, so 100 ms/op is 21.5 GFLOPS; n = 2048 is 17.18 GFLOP; the transformer
 * shape is 2.147 GFLOP. ({@code MatmulCompare} prints GFLOPS directly.)
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class MatmulBenchmark {

    /** Square operands [n, n] · [n, n]. */
    @State(Scope.Benchmark)
    public static class Square {
        @Param({"256", "512", "1024", "2048"})
        public int n;

        @Param({"1", "2"})
        public int threads;

        Tensor a;
        Tensor b;

        @Setup
        public void setup() {
            Parallel.setThreads(threads);
            Generator gen = new Generator(42);
            a = Tensor.randn(gen, n, n);
            b = Tensor.randn(gen, n, n);
        }
    }

    /** Transformer MLP shape [4096, 256] · [256, 1024]. */
    @State(Scope.Benchmark)
    public static class Transformer {
        public static final int M = 4096, K = 256, N = 1024;

        @Param({"1", "2"})
        public int threads;

        Tensor a;
        Tensor b;

        @Setup
        public void setup() {
            Parallel.setThreads(threads);
            Generator gen = new Generator(42);
            a = Tensor.randn(gen, M, K);
            b = Tensor.randn(gen, K, N);
        }
    }

    @Benchmark
    public Tensor square(Square s) {
        return s.a.matmul(s.b);
    }

    @Benchmark
    public Tensor transformer(Transformer s) {
        return s.a.matmul(s.b);
    }
}

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
 * Dense attention at the quickstart's fine-tuning shape (batch 16 × 4 heads × 302 tokens, head
 * width 16) and BERT-small's (batch 8 × 4 heads × 512 tokens, head width 64), forward and
 * backward, with the head-split views the models pass (q, k, v [B, H, T, hd] as transposes of
 * [B, T, d]); the CPU backend runs its fused kernel. The composed forward (weights materialised by
 * matmul and softmax, then multiplied by v) is timed beside it for the difference.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class AttentionBenchmark {
    /** batch × heads × tokens × head width. */
    @Param({"16x4x302x16", "8x4x512x64"})
    public String shape;

    @Param({"2"})
    public int threads;

    Tensor q, k, v, gOut;
    float scale;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        String[] p = shape.split("x");
        int b = Integer.parseInt(p[0]), h = Integer.parseInt(p[1]), t = Integer.parseInt(p[2]), hd = Integer.parseInt(p[3]);
        Generator gen = new Generator(42);
        q = heads(gen, b, t, h, hd);
        k = heads(gen, b, t, h, hd);
        v = heads(gen, b, t, h, hd);
        gOut = Tensor.randn(gen, b, h, t, hd);
        scale = (float) (1 / Math.sqrt(hd));
    }

    /** [B, T, H·hd] viewed as [B, H, T, hd], as the models split heads. */
    private static Tensor heads(Generator gen, int b, int t, int h, int hd) {
        return Tensor.randn(gen, b, t, h * hd).view(b, t, h, hd).transpose(1, 2);
    }

    @Benchmark
    public Tensor forward() {
        return Tensor.attention(q, k, v, null, false, scale);
    }

    @Benchmark
    public Tensor[] backward() {
        return Tensor.attentionBackward(q, k, v, null, false, scale, gOut, null, null, false);   // weights recomputed, as for long inputs
    }

    @Benchmark
    public Tensor composedForward() {
        return Tensor.attentionWeights(q, k, null, false, scale).matmul(v);
    }
}

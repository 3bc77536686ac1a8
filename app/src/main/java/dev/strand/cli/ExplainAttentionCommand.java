package dev.strand.cli;

import dev.strand.nn.attention.AttentionWalkthrough;
import dev.strand.nn.attention.MatrixFormat;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Walks one attention head through a tiny example, printing every matrix with one line of explanation. */
@Command(name = "explain-attention", mixinStandardHelpOptions = true,
        description = "Walk one attention head through a tiny example: Q, K, V, scores, softmax weights, output.")
final class ExplainAttentionCommand implements Callable<Integer> {
    @Option(names = "--tokens", description = "Random example: one token per letter, e.g. ACGT (default: the built-in two-token example).")
    String tokens;

    @Option(names = "--dim", defaultValue = "4", description = "Embedding and head size of a random example (default ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of a random example (default ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() {
        device.use();
        List<AttentionWalkthrough.Step> steps;
        if (tokens == null) {
            steps = AttentionWalkthrough.example();
        } else {
            if (tokens.isEmpty() || tokens.length() > 12) throw new IllegalArgumentException("--tokens needs 1 to 12 letters, got '" + tokens + "'");
            if (dim < 1 || dim > 8) throw new IllegalArgumentException("--dim must be 1 to 8 so the matrices stay readable, got " + dim);
            Generator gen = new Generator(seed);
            // Small integers keep the arithmetic easy to follow by hand.
            Tensor x = rounded(gen, tokens.length(), dim), wq = rounded(gen, dim, dim), wk = rounded(gen, dim, dim), wv = rounded(gen, dim, dim);
            List<String> labels = new ArrayList<>();
            for (char c : tokens.toCharArray()) labels.add(String.valueOf(c));
            steps = AttentionWalkthrough.walk(x, wq, wk, wv, labels);
        }
        int n = 1;
        for (AttentionWalkthrough.Step s : steps) {
            System.out.printf("%d. %s%n   %s%n", n++, s.title(), s.explanation());
            System.out.println(MatrixFormat.format(s.value(), s.rows(), s.columns()));
        }
        return 0;
    }

    private static Tensor rounded(Generator gen, int rows, int cols) {
        float[] v = Tensor.uniform(gen, -2.5f, 2.5f, rows, cols).toFloatArray();
        for (int i = 0; i < v.length; i++) v[i] = Math.round(v[i]);
        return Tensor.of(v, rows, cols);
    }
}

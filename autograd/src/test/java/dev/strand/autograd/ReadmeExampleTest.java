package dev.strand.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The README's API example, kept compiling and correct. */
class ReadmeExampleTest {
    @Test
    void readmeExampleRunsAndLearns() {
        Generator gen = new Generator(42);
        Variable w = Variable.param(Tensor.randn(gen, 5, 16).mul(0.1f));
        Variable x = Variable.constant(Tensor.randn(gen, 8, 5));
        Tensor labels = Tensor.ofInts(new int[] {0, 1, 2, 3, 0, 1, 2, 3}, 8, 1);

        Variable logits = x.matmul(w).relu();                                    // [8, 16]
        Variable loss = logits.logSoftmax(1).gather(1, labels).mean().neg();     // cross-entropy
        loss.backward();                                                         // w.grad() is [5, 16]

        assertArrayEquals(new int[] {5, 16}, w.grad().shape());
        // one plain gradient step lowers the loss
        float before = loss.item();
        try (var s = GradMode.off()) {
            w.data().copyFrom(w.data().sub(w.grad().mul(0.5f)));
        }
        float after = x.matmul(w).relu().logSoftmax(1).gather(1, labels).mean().neg().item();
        assertTrue(after < before, "loss " + before + " -> " + after);
    }
}

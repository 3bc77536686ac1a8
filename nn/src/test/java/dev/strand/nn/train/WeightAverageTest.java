package dev.strand.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strand.nn.Linear;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The moving average against a scalar recurrence, swapped in only while evaluating. */
class WeightAverageTest {
    @Test
    void followsTheRecurrenceAndIsInPlaceOnlyWhileEvaluating() {
        Linear model = new Linear(2, 1, false, new Generator(1));
        float[] w = model.weight.data().toFloatArray();
        double[] expected = {w[0], w[1]};
        WeightAverage average = new WeightAverage(model, 0.9f);
        for (int n = 0; n < 30; n++) {
            float[] next = {n * 0.1f, -n * 0.2f};                      // what an optimizer step left
            model.weight.data().copyFrom(Tensor.of(next, 1, 2));
            average.step(null);
            double d = Math.min(0.9, (1.0 + n) / (10.0 + n));
            for (int i = 0; i < 2; i++) expected[i] = d * expected[i] + (1 - d) * next[i];
        }
        float[] last = model.weight.data().toFloatArray();
        float[] seen = average.evaluated(() -> model.weight.data().toFloatArray());
        for (int i = 0; i < 2; i++) assertEquals(expected[i], seen[i], 1e-5, "average[" + i + "]");
        assertArrayEquals(last, model.weight.data().toFloatArray(), "the trained weights are back after evaluating");
        assertThrows(IllegalArgumentException.class, () -> new WeightAverage(model, 1f));
    }
}

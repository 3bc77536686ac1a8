package dev.strand.genomics.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.metrics.TaskScores;
import dev.strand.nn.Linear;
import dev.strand.tensor.Generator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {
    private static TaskScores mcc(double v) {
        return new TaskScores(TaskScores.CLASSIFICATION, 10, Map.of("mcc", v));
    }

    @Test
    void keepsTheBestWeightsAndCountsPatience() {
        Linear model = new Linear(2, 1, false, new Generator(1));
        EarlyStopping s = new EarlyStopping(2);
        assertTrue(s.offer(10, mcc(Double.NaN), model), "the first evaluation is kept even when undefined");
        model.weight.data().fill(1f);
        assertTrue(s.offer(20, mcc(0.3), model), "anything beats NaN");
        model.weight.data().fill(2f);
        assertFalse(s.offer(30, mcc(0.3), model), "a tie is not an improvement");
        assertFalse(s.exhausted());
        model.weight.data().fill(3f);
        assertFalse(s.offer(40, mcc(Double.NaN), model));
        assertTrue(s.exhausted());
        s.restoreBest(model);
        assertArrayEquals(new float[] {1f, 1f}, model.weight.data().toFloatArray());
        assertEquals(20, s.bestStep());
        assertEquals(0.3, s.best().primary());
        assertFalse(new EarlyStopping(0).exhausted(), "patience 0 never stops");
    }
}

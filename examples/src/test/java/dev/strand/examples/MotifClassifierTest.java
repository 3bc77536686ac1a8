package dev.strand.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The README's training example learns a planted motif (issue bar: ≥ 95 % test accuracy in bounded steps). */
class MotifClassifierTest {
    @Test
    void learnsThePlantedMotif() {
        double accuracy = MotifClassifier.run(1200);
        assertTrue(accuracy >= 0.95, "test accuracy " + accuracy);
    }
}

package dev.strand.nn.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static void refused(float temperature, int topK, float topP, String fragment) {
        var e = assertThrows(IllegalArgumentException.class, () -> new Sampler(temperature, topK, topP));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void settingsOutsideTheirRangeAreRefusedNamingTheSetting() {
        refused(Float.NaN, 0, 1f, "temperature");
        refused(Float.POSITIVE_INFINITY, 0, 1f, "temperature");
        refused(-0.5f, 0, 1f, "temperature");
        refused(1f, -1, 1f, "top-k");
        refused(1f, 0, 0f, "top-p");
        refused(1f, 0, 1.5f, "top-p");
        refused(1f, 0, Float.NaN, "top-p");
    }

    @Test
    void temperatureZeroIsGreedyAndSamplingStaysAmongTheTopK() {
        Tensor logits = Tensor.of(new float[] {0.1f, 3f, 2.9f, -1f});
        assertEquals(1, new Sampler(0f, 0, 1f).next(logits, new Generator(3)));
        Sampler topTwo = new Sampler(5f, 2, 1f);
        Generator g = new Generator(4);
        for (int i = 0; i < 200; i++) {
            int t = topTwo.next(logits, g);
            assertTrue(t == 1 || t == 2, "token " + t + " is outside the top 2");
        }
    }
}

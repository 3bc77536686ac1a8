package dev.strand.genomics.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StandardiserTest {
    @Test
    void fittedRowsGetZeroMeanAndUnitPopulationSd() {
        Random rng = new Random(2);
        int n = 50, d = 3;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            x[i * d] = (float) (10 + 3 * rng.nextGaussian());
            x[i * d + 1] = (float) rng.nextGaussian();
            x[i * d + 2] = 7;   // constant
        }
        float[] raw = x.clone();
        Standardiser z = Standardiser.fitInPlace(x, n, d);
        assertEquals(d, z.features());
        for (int f = 0; f < 2; f++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < n; i++) mean += raw[i * d + f] / (double) n;
            for (int i = 0; i < n; i++) sq += (raw[i * d + f] - mean) * (raw[i * d + f] - mean) / n;
            assertEquals(mean, z.mean(f), 1e-9);
            assertEquals(Math.sqrt(sq), z.sd(f), 1e-9);
            double m = 0, v = 0;
            for (int i = 0; i < n; i++) m += x[i * d + f] / (double) n;
            for (int i = 0; i < n; i++) v += x[i * d + f] * (double) x[i * d + f] / n;
            assertEquals(0, m, 1e-6, "feature " + f);
            assertEquals(1, v, 1e-5, "feature " + f);
        }
        assertEquals(7, z.mean(2));
        assertEquals(1, z.sd(2), "a constant feature's sd counts as 1");
        for (int i = 0; i < n; i++) assertEquals(0f, x[i * d + 2]);

        z.apply(raw);
        assertArrayEquals(x, raw, "applying the fitted moments to the same rows gives the same values");
    }

    @Test
    void identityChangesNothing() {
        float[] x = {1.5f, -2f, 0f, 3.25f};
        Standardiser.identity(2).apply(x);
        assertArrayEquals(new float[] {1.5f, -2f, 0f, 3.25f}, x);
    }
}

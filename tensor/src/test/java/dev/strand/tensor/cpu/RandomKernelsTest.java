package dev.strand.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.tensor.Generator;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RandomKernelsTest {
    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = Parallel.threads();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** The mask as documented, one element at a time, with a branch: the reference. */
    private static float expected(float x, long e, long seed, long counter, float p) {
        long bits = Generator.mix(seed, counter + e / 4);
        int u = (int) (bits >>> (16 * (e % 4))) & 0xFFFF;
        return u >= Math.round(p * 65536f) ? x * (1f / (1f - p)) : 0f;
    }

    private static float[] randomValues(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        x[0] = Float.NaN;   // dropped NaN becomes 0, kept NaN stays NaN, as with a branch
        return x;
    }

    /** Runs the vector path where the JVM has one, and the scalar twin around it (ragged ends, alignment). */
    @Test
    void wholeTensorDropoutMatchesTheDocumentedMaskOnAnyThreadCount() {
        int n = 70_003;   // several parallel chunks and a ragged last group
        float[] x = randomValues(n, 1);
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (float p : new float[] {0f, 0.1f, 0.5f, 0.999995f}) {   // the last drops every element (threshold 65536)
                float[] out = new float[n + 2];
                RandomKernels.dropout(x, 0, out, 1, n, 42, 1000, p);
                for (int i = 0; i < n; i++)
                    assertEquals(expected(x[i], i, 42, 1000, p), out[1 + i], "p=" + p + " threads=" + threads + " element " + i);
                assertEquals(0f, out[0]);
                assertEquals(0f, out[n + 1]);
            }
        }
    }

    @Test
    void anyRangeIsTheSameSliceOfTheMask() {
        float[] x = randomValues(64, 2);
        // Starts and lengths on and off the groups of four, in place and out of place.
        for (int first = 0; first < 9; first++)
            for (int len = 0; len + first <= 40; len += 3) {
                float[] out = new float[len];
                RandomKernels.dropoutRange(x, first, out, 0, len, first, 7, 5, 0.25f);
                for (int i = 0; i < len; i++)
                    assertEquals(expected(x[first + i], first + i, 7, 5, 0.25f), out[i], "first=" + first + " element " + i);
                float[] inPlace = x.clone();
                RandomKernels.dropoutRange(inPlace, first, inPlace, first, len, first, 7, 5, 0.25f);
                for (int i = 0; i < len; i++) assertEquals(out[i], inPlace[first + i]);
            }
    }
}

package dev.strand.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Float comparisons for tensor tests. */
public final class Assertions2 {
    private Assertions2() {}

    /** |a − e| ≤ atol + rtol·|e| elementwise, NaN only where expected; names the first bad index. */
    public static void assertClose(float[] expected, float[] actual, double rtol, double atol, String what) {
        if (expected.length != actual.length) fail(what + ": length " + actual.length + " != " + expected.length);
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) continue;
            if (e == a) continue; // also equal infinities
            if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
                fail(what + ": element " + i + " is " + a + ", expected " + e);
            }
        }
    }

    public static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertClose(expected.toFloatArray(), actual.toFloatArray(), rtol, atol, what);
    }
}

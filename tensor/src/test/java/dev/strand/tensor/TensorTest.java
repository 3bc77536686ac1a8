package dev.strand.tensor;

import static dev.strand.tensor.Assertions2.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.cpu.Parallel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Creation, views, known answers and error messages. */
class TensorTest {
    private static float[] f(float... v) {
        return v;
    }

    @Test
    void creation() {
        assertArrayEquals(f(0, 0, 0, 0, 0, 0), Tensor.zeros(2, 3).toFloatArray());
        assertArrayEquals(f(1, 1), Tensor.ones(2).toFloatArray());
        assertArrayEquals(f(7, 7, 7), Tensor.full(7, 3).toFloatArray());
        assertArrayEquals(f(0, 1, 2, 3), Tensor.arange(4).toFloatArray());
        assertArrayEquals(f(1, 1.5f, 2, 2.5f), Tensor.arange(1, 3, 0.5f).toFloatArray());
        assertEquals(0, Tensor.scalar(3).dim());
        assertEquals(3f, Tensor.scalar(3).item());
        assertArrayEquals(new int[] {4, 5}, Tensor.ofInts(new int[] {4, 5}).toIntArray());
    }

    @Test
    void sumOverAnEmptyDimIsZeroAndOtherReductionsRefuseIt() {
        Tensor empty = Tensor.zeros(3, 0, 2);
        Tensor s = empty.sum(1, false);                                    // as torch.zeros(3, 0, 2).sum(1)
        assertArrayEquals(new int[] {3, 2}, s.shape());
        assertArrayEquals(f(0, 0, 0, 0, 0, 0), s.toFloatArray());
        assertArrayEquals(new int[] {3, 1, 2}, empty.sum(1, true).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> empty.mean(1, false));
        assertTrue(e.getMessage().contains("empty dim 1 of shape [3, 0, 2]"), e.getMessage());
    }

    @Test
    void viewsShareStorage() {
        Tensor x = Tensor.arange(24).view(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertSame(x.storage(), p.storage());
        assertEquals(x.get(1, 2, 3), p.get(3, 1, 2));
        assertFalse(p.isContiguous());
        assertTrue(p.contiguous().isContiguous());
        assertArrayEquals(f(0, 4, 8, 12, 16, 20), p.select(0, 0).contiguous().toFloatArray());

        Tensor n = x.narrow(2, 1, 2);
        assertArrayEquals(f(1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22), n.toFloatArray());
        assertArrayEquals(new int[] {2, 1, 3, 1, 4}, x.unsqueeze(1).unsqueeze(3).shape());
        assertArrayEquals(new int[] {2, 3, 4}, x.unsqueeze(1).squeeze(1).shape());
        assertArrayEquals(f(0, 1, 2, 0, 1, 2), Tensor.arange(3).expand(2, 3).toFloatArray());
        assertArrayEquals(f(0, 0, 1, 1), Tensor.arange(2).view(2, 1).expand(-1, 2).toFloatArray());
        assertArrayEquals(new int[] {6, 4}, x.view(-1, 4).shape());
        // a transposed tensor can still be viewed where dims stay contiguous, else reshape copies
        Tensor t = x.transpose(0, 1); // [3, 2, 4]
        assertSame(t.storage(), t.view(3, 2, 2, 2).storage());
        assertEquals(t.reshape(3, 8).get(1, 5), t.get(1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> t.view(6, 4));
        assertArrayEquals(new int[] {3, 0}, Tensor.zeros(0, 3).reshape(3, 0).shape());
        assertArrayEquals(new int[] {4, 1, 6}, x.view(4, 1, 6).shape());
        // size-1 dims carry arbitrary strides: [1, 1, 3, 4] with heads and tokens swapped
        Tensor heads = Tensor.arange(12).view(1, 1, 3, 4).transpose(1, 2);   // [1, 3, 1, 4]
        assertArrayEquals(Tensor.arange(12).toFloatArray(), heads.reshape(1, 3, 4).toFloatArray());
        Tensor gappy = Tensor.arange(24).view(2, 3, 4).narrow(2, 0, 2).unsqueeze(2);   // [2, 3, 1, 2], rows of 4 with gaps
        assertArrayEquals(gappy.contiguous().toFloatArray(), gappy.reshape(6, 2).toFloatArray());
        assertArrayEquals(gappy.contiguous().toFloatArray(), gappy.reshape(2, 3, 2).toFloatArray());
        assertArrayEquals(f(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11), Tensor.arange(12).view(3, 4).t().contiguous().toFloatArray());
    }

    @Test
    void elementwiseKnownAnswers() {
        Tensor a = Tensor.of(f(1, 2, 3, 4), 2, 2), b = Tensor.of(f(10, 20), 2);
        assertArrayEquals(f(11, 22, 13, 24), a.add(b).toFloatArray());
        assertArrayEquals(f(1, 2, 3, 4), a.mul(b).div(b).toFloatArray());
        assertArrayEquals(f(0, 0, 1, 1), a.gt(2).toFloatArray());
        assertArrayEquals(f(1, 4, 9, 16), a.pow(2).toFloatArray());
        assertClose(f(0.8413447f, 1.9544997f), Tensor.of(f(1, 2)).gelu().toFloatArray(), 1e-6, 0, "gelu");
        assertArrayEquals(f(-1, 2, -1, 4), a.maskedFill(Tensor.of(f(1, 0), 2), -1).toFloatArray());
        assertArrayEquals(f(1, 20, 3, 20), Tensor.where(Tensor.of(f(1, 0), 2), a, b).toFloatArray());
    }

    @Test
    void reductionsKnownAnswers() {
        Tensor x = Tensor.of(f(1, 5, 3, 4, 2, 6), 2, 3);
        assertArrayEquals(f(9, 12), x.sum(1, false).toFloatArray());
        assertArrayEquals(new int[] {1, 3}, x.mean(0, true).shape());
        assertArrayEquals(f(2.5f, 3.5f, 4.5f), x.mean(0, true).toFloatArray());
        assertArrayEquals(f(5, 6), x.max(1, false).toFloatArray());
        assertArrayEquals(new int[] {1, 2}, x.argmax(1, false).toIntArray());
        assertEquals(21f, x.sum().item());
        assertArrayEquals(f(4, 4), x.var(1, false, true).toFloatArray(), 1e-6f);
        assertArrayEquals(f(8 / 3f, 8 / 3f), x.var(1, false, false).toFloatArray(), 1e-6f);
    }

    @Test
    void softmaxOfFourteenAndTwelve() {
        assertClose(f(0.8807971f, 0.1192029f), Tensor.of(f(14, 12)).softmax(0).toFloatArray(), 1e-6, 0, "softmax");
        assertClose(f(0.5f, 0.5f), Tensor.of(f(1e4f, 1e4f)).softmax(0).toFloatArray(), 1e-6, 0, "large logits");
        Tensor masked = Tensor.of(f(Float.NEGATIVE_INFINITY, 0f)).softmax(0);
        assertArrayEquals(f(0, 1), masked.toFloatArray());
    }

    @Test
    void matmulKnownAnswer() {
        Tensor a = Tensor.of(f(1, 2, 3, 4, 5, 6), 2, 3), b = Tensor.of(f(7, 8, 9, 10, 11, 12), 3, 2);
        assertArrayEquals(f(58, 64, 139, 154), a.matmul(b).toFloatArray());
        assertArrayEquals(f(14, 32), a.matmul(Tensor.of(f(1, 2, 3))).toFloatArray());
        assertArrayEquals(new int[] {4, 2, 2}, a.expand(4, 2, 3).matmul(b).shape());
    }

    @Test
    void indexingKnownAnswers() {
        Tensor w = Tensor.arange(12).view(4, 3);
        Tensor e = Tensor.embedding(w, Tensor.ofInts(new int[] {3, 0, 3, 1}, 2, 2));
        assertArrayEquals(new int[] {2, 2, 3}, e.shape());
        assertArrayEquals(f(9, 10, 11, 0, 1, 2, 9, 10, 11, 3, 4, 5), e.toFloatArray());
        assertArrayEquals(f(2, 0, 5, 3), w.narrow(0, 0, 2).gather(1, Tensor.ofInts(new int[] {2, 0, 2, 0}, 2, 2)).toFloatArray());
        Tensor acc = Tensor.zeros(3).indexAddInPlace(0, Tensor.ofInts(new int[] {1, 1, 2}), Tensor.of(f(1, 2, 3)));
        assertArrayEquals(f(0, 3, 3), acc.toFloatArray());
        Tensor cat = Tensor.concat(List.of(Tensor.ones(2, 1), Tensor.zeros(2, 2)), 1);
        assertArrayEquals(f(1, 0, 0, 1, 0, 0), cat.toFloatArray());
        assertArrayEquals(new int[] {2, 3, 2}, Tensor.stack(List.of(Tensor.ones(2, 2), Tensor.ones(2, 2), Tensor.ones(2, 2)), 1).shape());
        List<Tensor> parts = Tensor.arange(5).split(0, 2, 3);
        assertArrayEquals(f(2, 3, 4), parts.get(1).toFloatArray());
    }

    @Test
    void dropoutIsSeededScaledAndKeepsAboutOneMinusP() {
        Tensor x = Tensor.ones(100_000);
        float[] a = x.dropout(0.25f, 7, 100).toFloatArray();
        assertArrayEquals(a, x.dropout(0.25f, 7, 100).toFloatArray(), "same seed and counter, same mask");
        int kept = 0;
        for (float v : a) {
            assertTrue(v == 0f || Math.abs(v - 4f / 3f) < 1e-6, "kept values are scaled by 1/(1-p)");
            if (v != 0f) kept++;
        }
        assertEquals(0.75, kept / 100_000.0, 0.01);
        assertFalse(java.util.Arrays.equals(a, x.dropout(0.25f, 7, 200).toFloatArray()));
        assertArrayEquals(f(1, 2, 3), Tensor.of(f(1, 2, 3)).dropout(0f, 1, 0).toFloatArray());
    }

    @Test
    void errorsNameWhatDoesNotFit() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.sum(2, false));
        assertTrue(e.getMessage().contains("dim 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.embedding(Tensor.zeros(4, 3), Tensor.ofInts(new int[] {1, 4})));
        assertTrue(e.getMessage().contains("index 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.gather(1, Tensor.ofInts(new int[] {0, -1}, 2, 1)));
        assertTrue(e.getMessage().contains("index -1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.view(5, -1));
        assertThrows(IllegalArgumentException.class, () -> a.narrow(1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> a.expand(3, 3));
        assertThrows(IllegalArgumentException.class, () -> a.layerNorm(Tensor.ones(4), null, 1e-5f));
        assertThrows(IllegalArgumentException.class, () -> Tensor.concat(List.of(a, b), 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofInts(new int[] {1}).exp());
    }

    @Test
    void randomNumbersAreSeededAndThreadCountFree() {
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = Tensor.randn(new Generator(42), 100_001).toFloatArray();
            Parallel.setThreads(2);
            float[] two = Tensor.randn(new Generator(42), 100_001).toFloatArray();
            assertArrayEquals(one, two);
            double mean = 0, sq = 0;
            for (float v : one) {
                mean += v;
                sq += v * v;
            }
            mean /= one.length;
            assertEquals(0, mean, 0.02);
            assertEquals(1, Math.sqrt(sq / one.length - mean * mean), 0.02);
        } finally {
            Parallel.setThreads(threads);
        }
        Generator g = new Generator(7);
        float[] first = Tensor.rand(g, 10).toFloatArray();
        float[] second = Tensor.rand(g, 10).toFloatArray();
        assertFalse(java.util.Arrays.equals(first, second), "a generator advances between draws");
        Generator resumed = new Generator(7);
        resumed.setState(10);
        assertArrayEquals(second, Tensor.rand(resumed, 10).toFloatArray());
        for (float v : Tensor.uniform(g, -2, 3, 10_000).toFloatArray()) assertTrue(v >= -2 && v < 3);
    }
}

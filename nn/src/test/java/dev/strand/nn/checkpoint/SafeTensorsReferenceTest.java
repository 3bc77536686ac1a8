package dev.strand.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.DType;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads {@code checkpoint/reference.safetensors}, written by the independent Python writer
 * {@code make_reference.py} beside it (struct + json + numpy); the expected values here repeat
 * the script's.
 */
class SafeTensorsReferenceTest {
    @TempDir
    static Path dir;

    static SafeTensors.Contents contents;

    @BeforeAll
    static void readFixture() throws IOException {
        Path file = dir.resolve("reference.safetensors");
        try (InputStream in = SafeTensorsReferenceTest.class.getResourceAsStream("/checkpoint/reference.safetensors")) {
            Files.copy(in, file);
        }
        contents = SafeTensors.read(file);
    }

    private static Tensor t(String name, DType dtype, int... shape) {
        Tensor x = contents.tensors().get(name);
        assertArrayEquals(shape, x.shape(), name + " shape");
        assertEquals(dtype, x.dtype(), name + " dtype");
        return x;
    }

    @Test
    void headerOrderAndMetadata() {
        assertEquals(List.of("f32", "f16", "bf16", "f64", "i64", "i32", "u8", "mask", "scalar", "empty"),
                List.copyOf(contents.tensors().keySet()));
        assertEquals(Map.of("format", "pt", "note", "h\u00e9llo \u2713"), contents.metadata());
        assertEquals(List.of("format", "note"), List.copyOf(contents.metadata().keySet()));
    }

    @Test
    void f32() {
        assertArrayEquals(new float[] {0f, 1.5f, -2.25f, 3.0e38f, 1.0e-3f, -0f}, t("f32", DType.FLOAT32, 2, 3).toFloatArray());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(t("f32", DType.FLOAT32, 2, 3).toFloatArray()[5]));
    }

    @Test
    void f16() {
        float[] v = t("f16", DType.FLOAT32, 2, 4).toFloatArray();
        assertArrayEquals(new float[] {1f, -2.5f, 65504f, (float) Math.scalb(1.0, -14), (float) Math.scalb(1.0, -24),
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, java.util.Arrays.copyOf(v, 7));
        assertTrue(Float.isNaN(v[7]));
    }

    @Test
    void bf16() {
        assertArrayEquals(new float[] {1f, -3.140625f, (float) Math.scalb(1.0, 100), (float) -Math.scalb(1.0, -100), 0.5f, 256f},
                t("bf16", DType.FLOAT32, 3, 2).toFloatArray());
    }

    @Test
    void f64NarrowedToFloat() {
        assertArrayEquals(new float[] {0.1f, Float.NEGATIVE_INFINITY, (float) (1.0 / 3.0)}, t("f64", DType.FLOAT32, 3).toFloatArray());
    }

    @Test
    void integers() {
        assertArrayEquals(new int[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 42}, t("i64", DType.INT32, 5).toIntArray());
        assertArrayEquals(new int[] {1, -2, 3, -4}, t("i32", DType.INT32, 2, 2).toIntArray());
        assertArrayEquals(new int[] {0, 7, 255}, t("u8", DType.INT32, 3).toIntArray());
        assertArrayEquals(new int[] {1, 0}, t("mask", DType.INT32, 2).toIntArray());
    }

    @Test
    void scalarAndEmpty() {
        assertEquals(7.25f, t("scalar", DType.FLOAT32).item());
        assertEquals(0, t("empty", DType.FLOAT32, 0, 3).numel());
    }

    @Test
    void rewrittenByStrandReadsTheSame() throws IOException {
        Path again = dir.resolve("again.safetensors");
        SafeTensors.write(again, contents.tensors(), contents.metadata());
        SafeTensors.Contents back = SafeTensors.read(again);
        assertEquals(contents.metadata(), back.metadata());
        for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
            Tensor want = e.getValue(), got = back.tensors().get(e.getKey());
            assertArrayEquals(want.shape(), got.shape(), e.getKey());
            if (want.dtype() == DType.FLOAT32) assertArrayEquals(want.toFloatArray(), got.toFloatArray(), e.getKey());
            else assertArrayEquals(want.toIntArray(), got.toIntArray(), e.getKey());
        }
    }
}

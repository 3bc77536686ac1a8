package dev.strand.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact bytes Strand writes, checked against a file assembled by hand. */
class SafeTensorsLayoutTest {
    @TempDir
    Path dir;

    @Test
    void bytesMatchAHandBuiltFile() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("c", Tensor.scalar(0.5f));
        tensors.put("b", Tensor.ofInts(new int[] {1, -2}, 2));
        tensors.put("a", Tensor.of(new float[] {1f, -2f}, 2));
        Path file = dir.resolve("layout.safetensors");
        SafeTensors.write(file, tensors, Map.of("k", "v"));
        byte[] got = Files.readAllBytes(file);

        String json = "{\"__metadata__\":{\"k\":\"v\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"c\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[16,20]}}";
        assertEquals(187, json.length());
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        // 187 bytes of JSON padded with 5 spaces to 192 = 0xC0, as a little-endian u64.
        want.writeBytes(new byte[] {(byte) 0xC0, 0, 0, 0, 0, 0, 0, 0});
        want.writeBytes(json.getBytes(StandardCharsets.US_ASCII));
        want.writeBytes("     ".getBytes(StandardCharsets.US_ASCII));
        want.writeBytes(new byte[] {0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0}); // 1.0f, -2.0f
        want.writeBytes(new byte[] {1, 0, 0, 0, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}); // 1, -2
        want.writeBytes(new byte[] {0, 0, 0, 0x3F}); // 0.5f
        assertArrayEquals(want.toByteArray(), got);
        assertEquals(8 + 192 + 20, got.length);
    }

    @Test
    void noMetadataMeansNoMetadataKey() throws IOException {
        Path file = dir.resolve("plain.safetensors");
        SafeTensors.write(file, Map.of("x", Tensor.ofInts(new int[] {7}, 1)), Map.of());
        String json = "{\"x\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertArrayEquals(TestFiles.file(json, TestFiles.i32(7)), Files.readAllBytes(file));
    }

    @Test
    void headerIsAlwaysPaddedWithSpacesToAMultipleOf8() throws IOException {
        for (int len = 1; len <= 17; len++) {
            String name = "n".repeat(len);
            Path file = dir.resolve("pad" + len + ".safetensors");
            SafeTensors.write(file, Map.of(name, Tensor.of(new float[] {len}, 1)), null);
            byte[] b = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertEquals(0, n % 8, "header length " + n);
            assertEquals(8 + n + 4, b.length);
            String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
            int close = header.lastIndexOf('}');
            assertTrue(close >= header.length() - 8, header);
            assertTrue(header.substring(close + 1).isBlank() && header.substring(close + 1).chars().allMatch(c -> c == ' '), header);
            assertEquals(len, ByteBuffer.wrap(b, 8 + (int) n, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat());
        }
    }

    @Test
    void nonAsciiNamesAreRawUtf8() throws IOException {
        Path file = dir.resolve("utf8.safetensors");
        SafeTensors.write(file, Map.of("\u00e9", Tensor.scalar(1)), Map.of("\u2713", "\u00fc"));
        byte[] b = Files.readAllBytes(file);
        String json = "{\"__metadata__\":{\"\u2713\":\"\u00fc\"},\"\u00e9\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}";
        assertArrayEquals(TestFiles.file(json, TestFiles.f32(1)), b);
        assertTrue(Arrays.equals(b, 8, 12, "{\"__".getBytes(StandardCharsets.US_ASCII), 0, 4));
    }
}

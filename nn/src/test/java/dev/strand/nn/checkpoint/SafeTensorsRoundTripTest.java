package dev.strand.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.DType;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsRoundTripTest {
    @TempDir
    Path dir;

    private SafeTensors.Contents roundTrip(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, tensors, metadata);
        return SafeTensors.read(file);
    }

    private static void assertSame(Tensor want, Tensor got) {
        assertArrayEquals(want.shape(), got.shape(), "shape");
        assertEquals(want.dtype(), got.dtype(), "dtype");
        if (want.dtype() == DType.FLOAT32) assertArrayEquals(want.toFloatArray(), got.toFloatArray());
        else assertArrayEquals(want.toIntArray(), got.toIntArray());
    }

    @Test
    void floatsAndIntsComeBackBitForBit() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("w", Tensor.of(new float[] {1.5f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN}, 2, 3));
        in.put("ids", Tensor.ofInts(new int[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}, 2, 2));
        in.put("rand", Tensor.randn(new Generator(7), 3, 4, 5));
        SafeTensors.Contents out = roundTrip(in, null);
        assertEquals(in.keySet(), out.tensors().keySet());
        for (String name : in.keySet()) assertSame(in.get(name), out.tensors().get(name));
        // NaN payload and the sign of zero survive (compare raw bits).
        float[] w = out.tensors().get("w").toFloatArray();
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(w[1]));
        assertTrue(Float.isNaN(w[5]));
        assertTrue(out.metadata().isEmpty());
    }

    @Test
    void tensorsComeBackSortedByName() throws IOException {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (String name : List.of("zeta", "alpha", "layers.10.w", "layers.2.w", "Beta")) in.put(name, Tensor.scalar(name.length()));
        SafeTensors.Contents out = roundTrip(in, Map.of());
        assertEquals(List.of("Beta", "alpha", "layers.10.w", "layers.2.w", "zeta"), List.copyOf(out.tensors().keySet()));
        assertTrue(out.tensors() instanceof LinkedHashMap);
    }

    @Test
    void scalars() throws IOException {
        Tensor f = Tensor.scalar(3.25f);
        Tensor i = Tensor.ofInts(new int[] {42}, 1).squeeze(0);
        assertEquals(0, f.dim());
        assertEquals(0, i.dim());
        SafeTensors.Contents out = roundTrip(Map.of("f", f, "i", i), null);
        assertSame(f, out.tensors().get("f"));
        assertSame(i, out.tensors().get("i"));
        assertEquals(42, out.tensors().get("i").item());
    }

    @Test
    void emptyTensors() throws IOException {
        Map<String, Tensor> in = Map.of(
                "a", Tensor.zeros(0),
                "b", Tensor.zeros(3, 0, 2),
                "c", Tensor.ofInts(new int[0], 0, 5),
                "d", Tensor.of(new float[] {1, 2}, 2));
        SafeTensors.Contents out = roundTrip(in, null);
        for (String name : in.keySet()) assertSame(in.get(name), out.tensors().get(name));
    }

    @Test
    void nonContiguousViewsAreWrittenInLogicalOrder() throws IOException {
        Tensor base = Tensor.arange(24).view(2, 3, 4);
        Tensor transposed = base.transpose(0, 2);                        // [4, 3, 2]
        Tensor narrowed = base.narrow(2, 1, 2);                          // [2, 3, 2], offset 1
        Tensor expanded = Tensor.of(new float[] {1, 2, 3}, 3, 1).expand(3, 4); // stride 0
        Tensor intView = Tensor.ofInts(new int[] {1, 2, 3, 4, 5, 6}, 2, 3).t();
        assertFalse(transposed.isContiguous());
        assertFalse(expanded.isContiguous());
        SafeTensors.Contents out = roundTrip(Map.of("t", transposed, "n", narrowed, "e", expanded, "i", intView), null);
        assertSame(transposed, out.tensors().get("t"));
        assertSame(narrowed, out.tensors().get("n"));
        assertSame(expanded, out.tensors().get("e"));
        assertSame(intView, out.tensors().get("i"));
        assertArrayEquals(new int[] {1, 4, 2, 5, 3, 6}, out.tensors().get("i").toIntArray());
        assertEquals(base.get(1, 2, 0), out.tensors().get("t").get(0, 2, 1));
        assertTrue(out.tensors().get("t").isContiguous());
    }

    @Test
    void metadataRoundTrips() throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("step", "1200");
        meta.put("format", "pt");
        meta.put("note", "h\u00e9llo \u2713 \"quoted\" \\ back\nslash");
        meta.put("", "empty key");
        SafeTensors.Contents out = roundTrip(Map.of("x", Tensor.ones(2)), meta);
        assertEquals(meta, out.metadata());
        // written sorted by key
        assertEquals(List.of("", "format", "note", "step"), List.copyOf(out.metadata().keySet()));
    }

    @Test
    void unicodeAndOddTensorNames() throws IOException {
        Map<String, Tensor> in = Map.of("bl\u00f6cke.0/\"w\"", Tensor.ones(1), "\u6743\u91cd", Tensor.zeros(2), "", Tensor.scalar(1));
        SafeTensors.Contents out = roundTrip(in, null);
        for (String name : in.keySet()) assertSame(in.get(name), out.tensors().get(name));
    }

    @Test
    void tensorsLargerThanTheCopyBufferRoundTrip() throws IOException {
        // 1 MiB buffer = 262144 floats; use a size that is not a multiple of it.
        Tensor big = Tensor.rand(new Generator(1), 700_001);
        Tensor ints = Tensor.arange(300_007).toInt();
        SafeTensors.Contents out = roundTrip(Map.of("big", big, "ints", ints, "tail", Tensor.scalar(9)), null);
        assertSame(big, out.tensors().get("big"));
        assertSame(ints, out.tensors().get("ints"));
        assertEquals(9f, out.tensors().get("tail").item());
    }

    @Test
    void noTensorsAtAll() throws IOException {
        SafeTensors.Contents out = roundTrip(Map.of(), Map.of("only", "metadata"));
        assertTrue(out.tensors().isEmpty());
        assertEquals(Map.of("only", "metadata"), out.metadata());
    }

    @Test
    void writeRejectsReservedAndNullNames() {
        Path file = dir.resolve("x.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(file, Map.of(SafeTensors.METADATA_KEY, Tensor.ones(1)), null));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
        Map<String, Tensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("w", null);
        e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, nullTensor, null));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        Map<String, String> nullMeta = new LinkedHashMap<>();
        nullMeta.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, Map.of(), nullMeta));
        assertFalse(java.nio.file.Files.exists(file));
    }
}

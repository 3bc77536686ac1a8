package dev.strand.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsLoadIntoTest {
    @TempDir
    Path dir;

    private static SafeTensors.Contents contents(Map<String, Tensor> tensors) {
        return new SafeTensors.Contents(new LinkedHashMap<>(tensors), new LinkedHashMap<>());
    }

    private static String fail(Map<String, Tensor> expected, SafeTensors.Contents loaded, boolean strict, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.loadInto(expected, loaded, strict));
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "message should contain <" + f + ">: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void copiesValuesInPlaceFromAFile() throws IOException {
        Tensor w = Tensor.zeros(2, 3);
        Tensor ids = Tensor.ofInts(new int[] {0, 0}, 2);
        Map<String, Tensor> model = Map.of("w", w, "ids", ids);
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.arange(6).view(2, 3), "ids", Tensor.ofInts(new int[] {7, 8}, 2)), null);

        SafeTensors.LoadResult r = SafeTensors.loadInto(model, SafeTensors.read(file), true);
        assertEquals(List.of(), r.missing());
        assertEquals(List.of(), r.unexpected());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, w.toFloatArray()); // same object, new values
        assertArrayEquals(new int[] {7, 8}, ids.toIntArray());
    }

    @Test
    void copiesIntoViews() {
        Tensor base = Tensor.zeros(3, 2);
        Tensor view = base.t(); // [2, 3], non-contiguous, shares base's storage
        SafeTensors.loadInto(Map.of("v", view), contents(Map.of("v", Tensor.arange(6).view(2, 3))), true);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, base.toFloatArray());
    }

    @Test
    void nonFiniteValuesAreRefusedByNameAndNothingIsCopied() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Tensor a = Tensor.zeros(2), w = Tensor.zeros(2, 2);
            Tensor poisoned = Tensor.of(new float[] {1, 2, bad, 4}).view(2, 2);
            fail(Map.of("a", a, "layers.1.w", w), contents(Map.of("a", Tensor.ones(2), "layers.1.w", poisoned)), true,
                    "'layers.1.w'", String.valueOf(bad), "element 2");
            assertArrayEquals(new float[] {0, 0}, a.toFloatArray(), "a failed load changes nothing");
        }
        // A tensor the model does not take is not looked at (non-strict loads leave it alone).
        Tensor a = Tensor.zeros(2);
        SafeTensors.loadInto(Map.of("a", a), contents(Map.of("a", Tensor.ones(2), "unused", Tensor.of(new float[] {Float.NaN}))), false);
        assertArrayEquals(new float[] {1, 1}, a.toFloatArray());
    }

    @Test
    void shapeMismatchNamesTheTensorAndBothShapes() {
        Tensor w = Tensor.zeros(2, 3);
        String m = fail(Map.of("layers.0.w", w), contents(Map.of("layers.0.w", Tensor.zeros(3, 2))), false,
                "'layers.0.w'", "expected shape [2, 3]", "found shape [3, 2]");
        assertTrue(m.contains("FLOAT32"), m);
    }

    @Test
    void dtypeMismatchIsRefused() {
        fail(Map.of("ids", Tensor.ofInts(new int[] {1, 2}, 2)), contents(Map.of("ids", Tensor.of(new float[] {1, 2}, 2))), false,
                "'ids'", "expected shape [2] INT32", "found shape [2] FLOAT32");
    }

    @Test
    void strictListsMissingAndUnexpectedNames() {
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("a", Tensor.zeros(1));
        model.put("b", Tensor.zeros(1));
        model.put("c", Tensor.zeros(1));
        SafeTensors.Contents loaded = contents(Map.of("a", Tensor.ones(1), "x", Tensor.ones(1)));
        String m = fail(model, loaded, true, "missing from the checkpoint: [b, c]", "unexpected in the checkpoint: [x]");
        assertTrue(m.startsWith("checkpoint does not fit"), m);
        assertArrayEquals(new float[] {0}, model.get("a").toFloatArray(), "nothing is copied when the load fails");
    }

    @Test
    void nonStrictLoadsTheCommonNamesAndReportsTheRest() {
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("a", Tensor.zeros(1));
        model.put("b", Tensor.zeros(1));
        SafeTensors.LoadResult r = SafeTensors.loadInto(model, contents(Map.of("a", Tensor.ones(1), "x", Tensor.ones(1))), false);
        assertEquals(List.of("b"), r.missing());
        assertEquals(List.of("x"), r.unexpected());
        assertArrayEquals(new float[] {1}, model.get("a").toFloatArray());
        assertArrayEquals(new float[] {0}, model.get("b").toFloatArray());
    }

    @Test
    void aMismatchAnywhereMeansNothingIsCopied() {
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("a", Tensor.zeros(2));
        model.put("z", Tensor.zeros(2));
        SafeTensors.Contents loaded = contents(Map.of("a", Tensor.ones(2), "z", Tensor.ones(3)));
        fail(model, loaded, false, "'z'", "expected shape [2]", "found shape [3]");
        assertArrayEquals(new float[] {0, 0}, model.get("a").toFloatArray());
    }

    @Test
    void scalarVersusOneElementIsAMismatch() {
        fail(Map.of("s", Tensor.scalar(0)), contents(Map.of("s", Tensor.of(new float[] {1}, 1))), true,
                "'s'", "expected shape []", "found shape [1]");
    }
}

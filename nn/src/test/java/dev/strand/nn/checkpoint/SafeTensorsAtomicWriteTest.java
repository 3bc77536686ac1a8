package dev.strand.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.DType;
import dev.strand.tensor.Device;
import dev.strand.tensor.Storage;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write either replaces the file whole or leaves it as it was, with no temp files behind. */
class SafeTensorsAtomicWriteTest {
    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Storage on a device no backend serves: reading the tensor's values fails. */
    private record UnreachableStorage(DType dtype, int size) implements Storage {
        @Override
        public Device device() {
            return new Device("unplugged", 0);
        }
    }

    /** A tensor whose shape is known but whose values cannot be fetched, failing the write midway. */
    private static Tensor unreadable(int n) {
        return new Tensor(new UnreachableStorage(DType.FLOAT32, n), new int[] {n}, new int[] {1}, 0);
    }

    @Test
    void successfulWriteLeavesOnlyTheFinalFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.ones(3)), Map.of("step", "1"));
        assertEquals(List.of("model.safetensors"), listing());
        SafeTensors.write(file, Map.of("w", Tensor.ones(3)), Map.of("step", "2"));
        assertEquals(List.of("model.safetensors"), listing());
        assertEquals("2", SafeTensors.read(file).metadata().get("step"));
    }

    @Test
    void anExistingFileIsReplacedWhole() throws IOException {
        Path file = dir.resolve("model.safetensors");
        // A large old file, then a much smaller new one: nothing of the old may remain.
        SafeTensors.write(file, Map.of("big", Tensor.ones(100_000), "old", Tensor.zeros(5)), Map.of("v", "old"));
        long oldSize = Files.size(file);
        SafeTensors.write(file, Map.of("new", Tensor.of(new float[] {4, 5}, 2)), Map.of("v", "new"));

        Path fresh = dir.resolve("fresh.safetensors");
        SafeTensors.write(fresh, Map.of("new", Tensor.of(new float[] {4, 5}, 2)), Map.of("v", "new"));
        assertArrayEquals(Files.readAllBytes(fresh), Files.readAllBytes(file));
        assertTrue(Files.size(file) < oldSize);
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(List.of("new"), List.copyOf(c.tensors().keySet()));
        assertEquals(List.of("fresh.safetensors", "model.safetensors"), listing());
    }

    @Test
    void relativePathsWork() throws IOException {
        Path rel = Path.of("").toAbsolutePath().relativize(dir.resolve("rel.safetensors"));
        SafeTensors.write(rel, Map.of("x", Tensor.scalar(2)), null);
        assertEquals(2f, SafeTensors.read(rel).tensors().get("x").item());
        assertEquals(List.of("rel.safetensors"), listing());
    }

    @Test
    void aWriteThatFailsMidwayLeavesTheOldFileUntouched() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.of(new float[] {1, 2, 3}, 3)), Map.of("v", "old"));
        byte[] before = Files.readAllBytes(file);

        // "a" is written, then fetching "b" fails: the temp file is half-written at that point.
        Map<String, Tensor> failing = Map.of("a", Tensor.ones(1000), "b", unreadable(10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, failing, null));
        assertTrue(e.getMessage().contains("unplugged"), e.getMessage());

        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void aWriteThatFailsLeavesNoFileWhereThereWasNone() throws IOException {
        Path file = dir.resolve("model.safetensors");
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, Map.of("a", Tensor.ones(2), "b", unreadable(2)), null));
        assertFalse(Files.exists(file));
        assertEquals(List.of(), listing());
    }

    @Test
    void missingDirectoryIsAnIOException() throws IOException {
        Path file = dir.resolve("no/such/dir/model.safetensors");
        assertThrows(NoSuchFileException.class, () -> SafeTensors.write(file, Map.of("a", Tensor.ones(2)), null));
        assertEquals(List.of(), listing());
    }

    @Test
    void aDirectoryInTheWayIsNotReplaced() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.createDirectory(file);
        Files.writeString(file.resolve("keep"), "x");
        assertThrows(IOException.class, () -> SafeTensors.write(file, Map.of("a", Tensor.ones(2)), null));
        assertTrue(Files.isDirectory(file));
        assertEquals(List.of("model.safetensors"), listing());
    }
}

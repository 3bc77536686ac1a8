package dev.strand.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory written whole: all of it appears, or nothing does; a non-empty target is never touched. */
class AtomicDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aFilledDirectoryAppearsWhole() throws IOException {
        Path target = tmp.resolve("out");
        AtomicFiles.writeDirectory(target, d -> Files.writeString(d.resolve("a.txt"), "a"));
        assertEquals("a", Files.readString(target.resolve("a.txt")));
        Files.delete(target.resolve("a.txt"));
        AtomicFiles.writeDirectory(target, d -> Files.writeString(d.resolve("b.txt"), "b"));   // an empty directory is taken
        assertEquals("b", Files.readString(target.resolve("b.txt")));
        assertEquals(1, entries(tmp), "no temp directory left beside it");
    }

    @Test
    void aFailureMidwayLeavesNothing() throws IOException {
        Path target = tmp.resolve("out");
        assertThrows(IOException.class, () -> AtomicFiles.writeDirectory(target, d -> {
            Files.writeString(d.resolve("a.txt"), "a");
            throw new IOException("disk full");
        }));
        assertFalse(Files.exists(target));
        assertEquals(0, entries(tmp));
    }

    @Test
    void aNonEmptyTargetIsRefusedAndKept() throws IOException {
        Path target = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(target.resolve("keep.txt"), "k");
        Exception e = assertThrows(IllegalArgumentException.class, () -> AtomicFiles.writeDirectory(target, d -> {}));
        assertTrue(e.getMessage().endsWith("already exists and is not empty; write into a new directory"), e.getMessage());
        assertEquals("k", Files.readString(target.resolve("keep.txt")));
    }

    private static long entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}

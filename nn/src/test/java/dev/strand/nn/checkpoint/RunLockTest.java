package dev.strand.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
    @Test
    void oneWriterAtATimeAndTheLockIsFreedOnClose(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        try (RunLock first = RunLock.acquire(run)) {
            var e = assertThrows(IllegalStateException.class, () -> RunLock.acquire(run));
            assertTrue(e.getMessage().contains(run.toString()) && e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        try (RunLock again = RunLock.acquire(run)) {
            assertTrue(Files.exists(run.resolve(RunLock.FILE)));
        }
    }

    @Test
    void unfinishedWritesAreRemovedAndOnlyThose(@TempDir Path run) throws Exception {
        // A checkpoint folder and a file (latest, metrics) whose atomic writes a kill cut short.
        Files.createDirectories(run.resolve(".step-0000010.ab12.tmp").resolve("inner"));
        Files.writeString(AtomicFiles.tempFor(run.resolve("latest")), "step-0000010\n");
        Files.createDirectories(run.resolve("step-0000005"));
        Files.writeString(run.resolve("latest"), "step-0000005\n");
        assertTrue(AtomicFiles.removeLeftoverTemps(run) == 2);
        assertTrue(Files.notExists(run.resolve(".step-0000010.ab12.tmp")));
        try (var left = Files.list(run)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
        assertTrue(Files.isDirectory(run.resolve("step-0000005")) && Files.exists(run.resolve("latest")));
        assertTrue(Checkpoint.stepFolders(run).equals(java.util.List.of(run.resolve("step-0000005"))));
    }
}

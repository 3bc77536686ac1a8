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
    void unfinishedCheckpointWritesAreRemovedAndOnlyThose(@TempDir Path run) throws Exception {
        Files.createDirectories(run.resolve(".step-0000010.ab12.tmp").resolve("inner"));
        Files.createDirectories(run.resolve("step-0000005"));
        Files.writeString(run.resolve("latest"), "step-0000005\n");
        assertTrue(Checkpoint.removeUnfinishedWrites(run) == 1);
        assertTrue(Files.notExists(run.resolve(".step-0000010.ab12.tmp")));
        assertTrue(Files.isDirectory(run.resolve("step-0000005")) && Files.exists(run.resolve("latest")));
        assertTrue(Checkpoint.stepFolders(run).equals(java.util.List.of(run.resolve("step-0000005"))));
    }
}

package dev.strand.nn.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive use of a run directory by one writer. The lock is the operating system's on
 * {@code run/.lock}, so it dies with its process: a run killed with {@code kill -9} leaves no stale
 * lock behind. The file holds the owner's process id, for the message a second writer gets.
 */
public final class RunLock implements AutoCloseable {
    static final String FILE = ".lock";
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code runDir} (created if missing) for this process, or fails with one line naming the
     * directory and the process that holds it.
     */
    public static RunLock acquire(Path runDir) throws IOException {
        Files.createDirectories(runDir);
        Path file = runDir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            String owner = Files.readString(file, StandardCharsets.UTF_8).trim();
            throw new IllegalStateException(runDir + " is being written by another strand process"
                    + (owner.isEmpty() ? "" : " (pid " + owner + ")") + "; wait for it to finish or choose another --out");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return new RunLock(channel, lock);
    }

    /** Releases the lock; the file stays (deleting it could race a writer that just opened it). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}

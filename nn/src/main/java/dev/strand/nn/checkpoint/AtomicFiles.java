package dev.strand.nn.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes files so that a crash never leaves a partial file under the final name: the content goes
 * to a fresh temp file in the same directory, is forced to disk, and is renamed over the target
 * atomically; then the directory is synced so the rename survives a power cut.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the content of a file through a channel. */
    @FunctionalInterface
    public interface Body {
        void write(FileChannel out) throws IOException;
    }

    /** A fresh temp name beside {@code target}, {@code .NAME.RANDOM.tmp}: the shape {@link #removeLeftoverTemps} looks for. */
    static Path tempFor(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    }

    /**
     * Deletes the temp files and folders ({@code .*.tmp}) that writes killed midway left in {@code dir};
     * returns how many. Only for a directory no live writer uses (a run's {@link RunLock} held).
     */
    public static int removeLeftoverTemps(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        int removed = 0;
        try (var entries = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : entries) {
                deleteTree(p);
                removed++;
            }
        }
        return removed;
    }

    /** Writes {@code file} atomically with {@code body}; on failure the old file (if any) is untouched. */
    public static void write(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            FileChannel ch = null;
            while (ch == null) {
                tmp = tempFor(target);
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException taken) {
                    // another writer's temp file: pick another name
                }
            }
            try (FileChannel out = ch) {
                body.write(out);
                out.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (Throwable failure) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException cleanup) {
                    failure.addSuppressed(cleanup);
                }
            }
            throw failure;
        }
        syncDirectory(dir);
    }

    /** Fills a directory's contents. */
    @FunctionalInterface
    public interface DirectoryBody {
        void fill(Path dir) throws IOException;
    }

    /**
     * Creates the directory {@code target} (absent, or empty) whole: {@code body} fills it under a
     * temp name beside it, which is then renamed into place, so a crash or a failure midway leaves
     * nothing under {@code target}.
     */
    public static void writeDirectory(Path target, DirectoryBody body) throws IOException {
        target = target.toAbsolutePath();
        if (Files.exists(target)) {
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isPresent()) throw new IllegalArgumentException(target + " already exists and is not empty; write into a new directory");
            }
        }
        Files.createDirectories(target.getParent());
        Path tmp = tempFor(target);
        try {
            Files.createDirectory(tmp);
            body.fill(tmp);
            Files.deleteIfExists(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(target.getParent());
        } finally {
            deleteTree(tmp);
        }
    }

    /** Writes {@code bytes} to {@code file} atomically. */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, out -> writeFully(out, ByteBuffer.wrap(bytes)));
    }

    static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** Makes a rename durable where the platform allows it (Linux, macOS); elsewhere a no-op. */
    static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Windows cannot open a directory as a channel; the rename itself is still atomic.
        }
    }

    /** Deletes a directory and everything below it (nothing if it does not exist). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}

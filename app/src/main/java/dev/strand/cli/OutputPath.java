package dev.strand.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a command's output file before any work: its directory exists (it is created if it can
 * be), and writing it cannot destroy an input (the same file, or a file inside a run directory the command reads).
 */
final class OutputPath {
    private OutputPath() {}

    /**
     * @param option   the option that named it, for the message (e.g. "--out")
     * @param out      the file to be written
     * @param inputs   files the command reads (null entries are skipped)
     * @param runDirs  run directories the command reads (null entries are skipped)
     */
    static void check(String option, Path out, Path[] inputs, Path... runDirs) throws IOException {
        Path parent = absolute(out).getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            try {
                Files.createDirectories(parent);   // now, so that a path that cannot be written fails before the work
            } catch (IOException e) {
                throw new IllegalArgumentException(option + " " + out + ": cannot create its directory " + parent + " (" + e + ")");
            }
        }
        if (Files.isDirectory(out)) throw new IllegalArgumentException(option + " " + out + " is a directory; give a file name");
        Path target = canonical(out);
        for (Path in : inputs) {
            if (in != null && target.equals(canonical(in))) {
                throw new IllegalArgumentException(option + " " + out + " is also an input of this command; writing it would destroy it");
            }
        }
        for (Path run : runDirs) {
            if (run != null && target.startsWith(canonical(run))) {
                throw new IllegalArgumentException(option + " " + out + " lies inside the model directory " + run
                        + "; write outputs elsewhere so the model stays as it was");
            }
        }
    }

    private static Path absolute(Path p) {
        return p.toAbsolutePath().normalize();
    }

    /** The real path where the file exists (links resolved), else the normalised absolute one under its real parent. */
    private static Path canonical(Path p) throws IOException {
        if (Files.exists(p)) return p.toRealPath();
        Path abs = absolute(p), parent = abs.getParent();
        return parent != null && Files.exists(parent) ? parent.toRealPath().resolve(abs.getFileName()) : abs;
    }
}

package dev.strand.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** One {@code strand} command run in-process, with its exit code, standard output and standard error. */
record CliRun(int exit, String out, String err) {
    static CliRun of(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int exit = Main.run(args);
            return new CliRun(exit, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static CliRun of(List<String> args) {
        return of(args.toArray(String[]::new));
    }

    /** The one line a failed command printed, without the progress lines before it. */
    String errorLine() {
        List<String> lines = err.lines().filter(l -> l.startsWith("strand: ")).toList();
        if (lines.size() != 1) throw new AssertionError("expected one 'strand: ' line, got: " + err);
        return lines.get(0);
    }

    /** A test resource as a path. */
    static Path resource(String name) {
        try {
            return Path.of(CliRun.class.getResource("/" + name).toURI());
        } catch (Exception e) {
            throw new AssertionError("missing test resource " + name, e);
        }
    }

    /** Copies a directory tree (a checkpoint, a run) to {@code to}. */
    static void copyTree(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) java.nio.file.Files.createDirectories(t);
                else java.nio.file.Files.copy(p, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}

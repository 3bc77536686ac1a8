package dev.strand.genomics.io;

import htsjdk.samtools.util.BlockCompressedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Test helpers: committed resources and hand-made plain/gzip/bgzip files. */
final class TestFiles {
    private TestFiles() {}

    /** A committed test resource under {@code src/test/resources/io/}. */
    static Path resource(String name) {
        URL url = TestFiles.class.getResource("/io/" + name);
        if (url == null) throw new IllegalStateException("missing test resource io/" + name);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a resource into {@code dir} (so indexes written beside it stay out of target/). */
    static Path copy(String name, Path dir) {
        Path src = resource(name);
        Path dst = dir.resolve(src.getFileName().toString());
        try {
            return Files.copy(src, dst);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path plain(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path gzip(Path dir, String name, String text) {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** A bgzip (BGZF) file written with htsjdk's BlockCompressedOutputStream. */
    static Path bgzip(Path dir, String name, String text) {
        Path p = dir.resolve(name);
        try (OutputStream out = new BlockCompressedOutputStream(Files.newOutputStream(p), p, 6)) {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The first {@code keep} bytes of a file, written next to it under a new name. */
    static Path truncated(Path file, String name, long keep) {
        try {
            byte[] all = Files.readAllBytes(file);
            return Files.write(file.resolveSibling(name), java.util.Arrays.copyOf(all, (int) keep));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A deterministic pseudo-random sequence over the given alphabet. */
    static String randomBases(long seed, int n, String alphabet) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        char[] c = new char[n];
        for (int i = 0; i < n; i++) c[i] = alphabet.charAt(r.nextInt(alphabet.length()));
        return new String(c);
    }

    /** FASTA text with lines of {@code width} bases. */
    static String fasta(int width, String... nameThenSequence) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nameThenSequence.length; i += 2) {
            sb.append('>').append(nameThenSequence[i]).append('\n');
            String s = nameThenSequence[i + 1];
            for (int j = 0; j < s.length(); j += width) {
                sb.append(s, j, Math.min(s.length(), j + width)).append('\n');
            }
        }
        return sb.toString();
    }
}

package dev.strand.genomics.io;

import htsjdk.samtools.util.BlockCompressedInputStream;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * How a file is compressed, detected from its first bytes (never from its name): plain text,
 * ordinary gzip, or BGZF (the blocked gzip of {@code bgzip}, which also reads as gzip but allows
 * random access with a {@code .gzi} index).
 */
public enum Compression {
    PLAIN,
    GZIP,
    BGZF;

    private static final int BUFFER = 1 << 16;

    /** Detects the compression of a file from its magic bytes. */
    public static Compression detect(Path path) {
        byte[] head = new byte[18];
        int n = 0;
        try (InputStream in = Files.newInputStream(path)) {
            while (n < head.length) {
                int r = in.read(head, n, head.length - n);
                if (r < 0) break;
                n += r;
            }
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("no such file: " + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
        return detect(head, n);
    }

    static Compression detect(byte[] head, int n) {
        if (n < 2 || (head[0] & 0xff) != 0x1f || (head[1] & 0xff) != 0x8b) return PLAIN;
        // BGZF: gzip with FEXTRA set and a 'BC' subfield at the start of the extra field.
        if (n >= 16 && (head[3] & 0x04) != 0 && head[12] == 'B' && head[13] == 'C') return BGZF;
        return GZIP;
    }

    /**
     * Opens a file for reading as uncompressed bytes, whatever its compression. A BGZF file whose
     * last block is damaged is rejected here, before any reading; a truncated ordinary gzip file
     * fails while reading (an {@link java.io.EOFException} from the stream).
     */
    public static InputStream open(Path path) {
        Compression c = detect(path);
        if (c == BGZF) checkBgzfTermination(path);
        InputStream raw = null;
        try {
            raw = new BufferedInputStream(Files.newInputStream(path), BUFFER);
            return switch (c) {
                case PLAIN -> raw;
                case GZIP -> new GZIPInputStream(raw, BUFFER);
                case BGZF -> new BlockCompressedInputStream(raw, false);
            };
        } catch (IOException e) {
            closeQuietly(raw, e);
            // The first bytes say gzip but the header behind them is not (a bad method, flag or length).
            if (e instanceof ZipException || e instanceof EOFException) {
                throw new GenomicsFormatException(path.toString(), 0, "damaged gzip header (" + e.getMessage()
                        + "); expected a file written by gzip or bgzip, or plain text", e);
            }
            throw new UncheckedIOException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(InputStream raw, IOException e) {
        if (raw != null) {
            try {
                raw.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
        }
    }

    /** Rejects a BGZF file that ends in a damaged block or lacks the BGZF end-of-file marker. */
    static void checkBgzfTermination(Path path) {
        BlockCompressedInputStream.FileTermination t;
        try {
            t = BlockCompressedInputStream.checkTermination(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
        switch (t) {
            case HAS_TERMINATOR_BLOCK -> {}
            case HAS_HEALTHY_LAST_BLOCK -> throw new GenomicsFormatException(path.toString(), 0,
                    "truncated bgzip (BGZF) file: the BGZF end-of-file marker block is missing"
                            + " (expected the 28-byte empty block that bgzip writes last)");
            case DEFECTIVE -> throw new GenomicsFormatException(path.toString(), 0,
                    "truncated or corrupt bgzip (BGZF) file: its last block is incomplete");
        }
    }
}

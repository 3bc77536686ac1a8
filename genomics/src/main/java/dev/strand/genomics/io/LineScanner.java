package dev.strand.genomics.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reads an (uncompressed) byte stream line by line without decoding: each line is exposed as a
 * slice of an internal buffer, valid until the next call to {@link #next()}. Tracks the 1-based
 * line number and the byte offset of each line, which FASTA indexing needs. A line ends at
 * {@code \n}; one {@code \r} before it is counted as part of the terminator. The buffer grows to
 * the longest line, so memory is bounded by the longest line, not the file.
 */
final class LineScanner implements Closeable {
    private final InputStream in;
    private final String source;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;

    private int lineStart;
    private int lineLength;
    private int terminator;
    private long lineNumber;
    private long lineOffset;
    private long nextOffset;

    LineScanner(InputStream in, String source) {
        this.in = in;
        this.source = source;
    }

    /** Advances to the next line; false at the end of the input. */
    boolean next() {
        int scan = pos;
        while (true) {
            for (int i = scan; i < limit; i++) {
                if (buf[i] == '\n') {
                    int len = i - pos;
                    int term = 1;
                    if (len > 0 && buf[i - 1] == '\r') {
                        len--;
                        term = 2;
                    }
                    setLine(pos, len, term);
                    pos = i + 1;
                    return true;
                }
            }
            scan = limit;
            if (eof) {
                if (pos == limit) return false;
                int len = limit - pos;
                int term = 0;
                if (buf[limit - 1] == '\r') {
                    len--;
                    term = 1;
                }
                setLine(pos, len, term);
                pos = limit;
                return true;
            }
            // Make room: move the partial line to the front, grow when the line fills the buffer.
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                scan -= pos;
                pos = 0;
            }
            if (limit == buf.length) buf = Arrays.copyOf(buf, buf.length + (buf.length >> 1));
            fill();
        }
    }

    private void fill() {
        try {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) eof = true;
            else limit += r;
        } catch (EOFException | ZipException e) {
            throw new GenomicsFormatException(source, lineNumber + 1,
                    "truncated or corrupt compressed input (" + e.getMessage()
                            + "); expected a complete gzip/bgzip stream", e);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            throw new GenomicsFormatException(source, lineNumber + 1,
                    "cannot read input (" + m + ")", e);
        } catch (RuntimeException e) {
            // htsjdk's BGZF reader signals a damaged block with runtime exceptions.
            if (e instanceof GenomicsFormatException) throw e;
            throw new GenomicsFormatException(source, lineNumber + 1,
                    "truncated or corrupt compressed input (" + e.getMessage()
                            + "); expected a complete gzip/bgzip stream", e);
        }
    }

    private void setLine(int start, int len, int term) {
        lineStart = start;
        lineLength = len;
        terminator = term;
        lineNumber++;
        lineOffset = nextOffset;
        nextOffset += len + term;
        if (lineNumber == 1 && len >= 3 && buf[start] == (byte) 0xEF && buf[start + 1] == (byte) 0xBB && buf[start + 2] == (byte) 0xBF) {
            throw new GenomicsFormatException(source, 1, "the file starts with a UTF-8 byte-order mark (bytes EF BB BF), which these "
                    + "plain-text formats do not allow; save it without one (e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' FILE)");
        }
    }

    byte[] buffer() {
        return buf;
    }

    int start() {
        return lineStart;
    }

    /** Length of the current line without its terminator. */
    int length() {
        return lineLength;
    }

    /** Bytes of the current line's terminator: 0 (last line, no newline), 1 or 2 (CR LF). */
    int terminator() {
        return terminator;
    }

    long lineNumber() {
        return lineNumber;
    }

    /** Byte offset of the current line's first byte in the uncompressed stream. */
    long offset() {
        return lineOffset;
    }

    byte at(int i) {
        return buf[lineStart + i];
    }

    /** The current line decoded as UTF-8 (for headers and text formats). */
    String text() {
        return new String(buf, lineStart, lineLength, StandardCharsets.UTF_8);
    }

    String source() {
        return source;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // nothing useful to do on close of a read-only stream
        }
    }
}

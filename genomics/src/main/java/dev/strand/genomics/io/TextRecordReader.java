package dev.strand.genomics.io;

import java.io.Closeable;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Base of the line-oriented text readers (VCF, BED, GFF): one record per line, some lines skipped. */
abstract class TextRecordReader<T> implements Iterator<T>, Closeable {
    protected final LineScanner lines;
    protected final String source;
    private T next;
    private boolean done;

    TextRecordReader(InputStream uncompressed, String source) {
        this.lines = new LineScanner(uncompressed, source);
        this.source = source;
    }

    /** Parses one line into a record, or returns null to skip it (comments, headers, blank lines). */
    protected abstract T parse(String line, long lineNumber);

    /** Called once at the end of input; may throw when the file as a whole was incomplete. */
    protected void atEnd() {}

    /** Whether to stop before this line, leaving the rest of the file unread (e.g. GFF3 ##FASTA). */
    protected boolean stopsAt(String line) {
        return false;
    }

    @Override
    public final boolean hasNext() {
        while (next == null && !done) {
            if (!lines.next()) {
                done = true;
                atEnd();
                break;
            }
            String text = lines.text();
            if (stopsAt(text)) {
                done = true;
                break;
            }
            next = parse(text, lines.lineNumber());
        }
        return next != null;
    }

    @Override
    public final T next() {
        if (!hasNext()) throw new NoSuchElementException("no more records in " + source);
        T r = next;
        next = null;
        return r;
    }

    /** All remaining records in a list. */
    public List<T> toList() {
        List<T> out = new ArrayList<>();
        forEachRemaining(out::add);
        return out;
    }

    /** The remaining records as a sequential stream; closing it closes the reader. */
    public Stream<T> stream() {
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    public String source() {
        return source;
    }

    protected GenomicsFormatException error(long line, String message) {
        return new GenomicsFormatException(source, line, message);
    }

    /** Parses a non-negative decimal integer field, or fails naming the field and the line. */
    protected long parseLong(String field, String what, long line, long min, long max) {
        long v;
        try {
            v = Long.parseLong(field);
        } catch (NumberFormatException e) {
            throw error(line, what + " must be an integer, found '" + field + "'");
        }
        if (v < min || v > max) {
            throw error(line, what + " must be between " + min + " and " + max + ", found " + v);
        }
        return v;
    }

    @Override
    public void close() {
        lines.close();
    }
}

package dev.strand.genomics.io;

import java.io.Closeable;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Streams the records of a FASTA or multi-FASTA file, plain, gzip or bgzip (detected from the
 * file's bytes). Only one record is held at a time: memory is the current record's sequence (kept
 * in a reusable byte buffer, then copied once into a Latin-1 string) plus one input line, i.e. a
 * small multiple of the largest record, never the whole file.
 *
 * <p>Rules, each violation a {@link GenomicsFormatException} naming the file and the line:
 * the file must not be empty; the first non-blank line must be a {@code >} header; a header must
 * have a non-empty name (the first word after {@code >}; leading blanks are skipped, as samtools
 * does) and be followed by at least one sequence line; sequence lines hold IUPAC nucleotide codes
 * ({@link Bases#IUPAC}, either case; lowercase is kept). CR LF line ends, trailing blanks and
 * blank lines are accepted. The input is checked as it is read, so a bad record fails when the
 * iterator reaches it. A truncated gzip/bgzip stream fails with the line at which it ended.
 */
public final class FastaReader implements Iterator<FastaRecord>, Closeable {
    private static final int MAX_SEQUENCE = Integer.MAX_VALUE - 16;

    private final LineScanner lines;
    private final String source;
    private byte[] seq = new byte[1 << 12];
    private boolean started;
    private boolean done;
    private boolean headerPending;
    private String pendingName;
    private String pendingDescription;
    private long pendingLine;
    private FastaRecord next;

    private FastaReader(InputStream uncompressed, String source) {
        this.lines = new LineScanner(uncompressed, source);
        this.source = source;
    }

    /** Opens a FASTA file, plain or compressed. Close the reader when done. */
    public static FastaReader open(Path path) {
        return new FastaReader(Compression.open(path), path.toString());
    }

    /** Reads FASTA from an uncompressed stream; {@code source} names it in error messages. */
    public static FastaReader of(InputStream uncompressed, String source) {
        return new FastaReader(uncompressed, source);
    }

    /** Reads every record of a file into memory (for small files). */
    public static List<FastaRecord> readAll(Path path) {
        try (FastaReader r = open(path)) {
            List<FastaRecord> out = new ArrayList<>();
            r.forEachRemaining(out::add);
            return out;
        }
    }

    /** The records as a sequential stream; closing the stream closes the reader. */
    public Stream<FastaRecord> stream() {
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL),
                        false)
                .onClose(this::close);
    }

    public String source() {
        return source;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) next = readRecord();
        return next != null;
    }

    @Override
    public FastaRecord next() {
        if (!hasNext()) throw new NoSuchElementException("no more records in " + source);
        FastaRecord r = next;
        next = null;
        return r;
    }

    private FastaRecord readRecord() {
        if (!headerPending) {
            // Only at the start: find the first header.
            while (true) {
                if (!lines.next()) {
                    done = true;
                    if (!started) {
                        throw new GenomicsFormatException(source, 0,
                                "empty FASTA input: expected at least one record starting with a '>' header line");
                    }
                    return null;
                }
                if (isBlank()) continue;
                if (lines.at(0) != '>') {
                    throw new GenomicsFormatException(source, lines.lineNumber(),
                            "expected a '>' header line before any sequence, found " + preview());
                }
                takeHeader();
                break;
            }
        }
        started = true;
        String name = pendingName;
        String description = pendingDescription;
        long headerLine = pendingLine;
        headerPending = false;
        int n = 0;
        while (lines.next()) {
            int len = lines.length();
            if (len > 0 && lines.at(0) == '>') {
                takeHeader();
                break;
            }
            int end = trimmedLength();
            if (end == 0) continue;
            byte[] b = lines.buffer();
            int off = lines.start();
            for (int i = 0; i < end; i++) {
                if (!Bases.isIupac(b[off + i] & 0xff)) {
                    throw new GenomicsFormatException(source, lines.lineNumber(),
                            "unexpected character " + Bases.describe(b[off + i] & 0xff) + " at column " + (i + 1)
                                    + " in record '" + name + "' (" + Bases.expectedAlphabet() + ")");
                }
            }
            if ((long) n + end > MAX_SEQUENCE) {
                throw new GenomicsFormatException(source, lines.lineNumber(),
                        "record '" + name + "' is longer than " + MAX_SEQUENCE + " bases, the most one record can hold");
            }
            if (n + end > seq.length) {
                long grown = Math.max((long) n + end, seq.length + ((long) seq.length >> 1));
                seq = Arrays.copyOf(seq, (int) Math.min(grown, MAX_SEQUENCE));
            }
            System.arraycopy(b, off, seq, n, end);
            n += end;
        }
        if (!headerPending) done = true;
        if (n == 0) {
            throw new GenomicsFormatException(source, headerLine,
                    "record '" + name + "' has no sequence: expected at least one sequence line after its header");
        }
        return new FastaRecord(name, description, new String(seq, 0, n, StandardCharsets.ISO_8859_1));
    }

    /** Parses the current line as a header and remembers it as the next record's. */
    private void takeHeader() {
        String text = lines.text();
        int i = 1;
        while (i < text.length() && isBlankChar(text.charAt(i))) i++;
        int j = i;
        while (j < text.length() && !isBlankChar(text.charAt(j))) j++;
        String name = text.substring(i, j);
        if (name.isEmpty()) {
            throw new GenomicsFormatException(source, lines.lineNumber(),
                    "header has an empty name: expected '>name [description]'");
        }
        pendingName = name;
        pendingDescription = text.substring(j).strip();
        pendingLine = lines.lineNumber();
        headerPending = true;
    }

    private static boolean isBlankChar(char c) {
        return c == ' ' || c == '\t';
    }

    private boolean isBlank() {
        return trimmedLength() == 0;
    }

    /** Length of the current line without trailing blanks (spaces, tabs, stray CR). */
    private int trimmedLength() {
        int end = lines.length();
        while (end > 0) {
            byte c = lines.at(end - 1);
            if (c == ' ' || c == '\t' || c == '\r') end--;
            else break;
        }
        return end;
    }

    private String preview() {
        String t = lines.text();
        return "'" + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "'";
    }

    @Override
    public void close() {
        lines.close();
    }
}

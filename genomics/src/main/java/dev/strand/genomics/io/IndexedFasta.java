package dev.strand.genomics.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Genome} over a plain FASTA that is read by byte ranges and a {@code .fai} index: where
 * the file is not a local path (a Hadoop file system, an object store), only the bytes of the
 * bases fetched are read. The reader supplies positioned reads; this class turns coordinates into
 * byte ranges, drops the line ends, and checks the bases as {@link FastaGenome} does.
 */
public final class IndexedFasta implements Genome {
    /** Positioned reads of the FASTA's bytes, safe to call from several threads. */
    public interface ByteRanges extends AutoCloseable {
        /** Fills {@code into} with the bytes from {@code position}. */
        void read(long position, byte[] into) throws IOException;

        @Override
        default void close() throws IOException {}
    }

    private final FaiIndex index;
    private final Map<String, FaiIndex.Entry> entries = new HashMap<>();
    private final List<String> contigs;
    private final ByteRanges file;
    private final String source;

    /** @param source names the file in errors */
    public IndexedFasta(FaiIndex index, ByteRanges file, String source) {
        this.index = index;
        for (FaiIndex.Entry e : index.entries()) entries.put(e.name(), e);
        this.contigs = index.entries().stream().map(FaiIndex.Entry::name).toList();
        this.file = file;
        this.source = source;
    }

    public FaiIndex index() {
        return index;
    }

    @Override
    public List<String> contigs() {
        return contigs;
    }

    @Override
    public int length(String contig) {
        return (int) entry(contig).length();
    }

    @Override
    public String fetch(String contig, int start, int end) {
        FaiIndex.Entry e = entry(contig);
        if (start < 0 || end > e.length() || start > end) {
            throw new IllegalArgumentException("region " + contig + ":[" + start + ", " + end + ") is out of range for contig '" + contig
                    + "' of length " + e.length() + " in " + source + " (expected 0 <= start <= end <= " + e.length() + ", 0-based half-open)");
        }
        if (start == end) return "";
        long from = FaiIndex.byteOffset(e, start), to = FaiIndex.byteOffset(e, end - 1) + 1;
        byte[] raw = new byte[Math.toIntExact(to - from)];
        try {
            file.read(from, raw);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + contig + ":[" + start + ", " + end + ") of " + source + ": " + ex.getMessage(), ex);
        }
        byte[] bases = new byte[end - start];
        int n = 0;
        for (int i = 0; i < raw.length && n < bases.length; i++) {
            int c = raw[i] & 0xff;
            if (c == '\n' || c == '\r') continue;
            if (!Bases.isIupac(c)) {
                throw new GenomicsFormatException(source, 0, "record '" + contig + "', position " + (start + n) + " (0-based): unexpected character "
                        + Bases.describe(c) + " (" + Bases.expectedAlphabet() + "); either the file holds it or its index does not match the file");
            }
            bases[n++] = (byte) c;
        }
        if (n != bases.length) throw new GenomicsFormatException(source, 0, "the index does not match the file around " + contig + ":" + start);
        return new String(bases, StandardCharsets.ISO_8859_1);
    }

    private FaiIndex.Entry entry(String contig) {
        FaiIndex.Entry e = entries.get(contig);
        if (e == null) {
            List<String> some = contigs.subList(0, Math.min(5, contigs.size()));
            throw new IllegalArgumentException("unknown contig '" + contig + "' in " + source + " (contigs: " + String.join(", ", some)
                    + (contigs.size() > some.size() ? ", … " + contigs.size() + " in all" : "") + ")");
        }
        return e;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

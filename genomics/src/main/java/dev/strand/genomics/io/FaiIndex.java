package dev.strand.genomics.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A samtools-compatible FASTA index ({@code .fai}): per record its name, length, the byte offset
 * of its first base (in the uncompressed stream for bgzip files), bases per line and bytes per
 * line. {@link #build} reads the FASTA once and checks, with the file and line in every error,
 * what random access needs: a non-empty name, at least one base, IUPAC letters only, unique names,
 * and every line of a record but the last of the same length (blank lines only at a record's end).
 * For a valid file the result equals {@code samtools faidx}'s index byte for byte.
 */
public record FaiIndex(List<Entry> entries) {

    /** One line of a {@code .fai} file. */
    public record Entry(String name, long length, long offset, int lineBases, int lineWidth) {}

    public FaiIndex {
        entries = List.copyOf(entries);
    }

    /** The index in samtools' text format: name, length, offset, linebases, linewidth; tab-separated. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(e.name).append('\t').append(e.length).append('\t').append(e.offset).append('\t')
                    .append(e.lineBases).append('\t').append(e.lineWidth).append('\n');
        }
        return sb.toString();
    }

    /** Builds the index of a FASTA file (plain, gzip or bgzip), validating it. */
    public static FaiIndex build(Path fasta) {
        try (InputStream in = Compression.open(fasta)) {
            return build(in, fasta.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds the index of an uncompressed FASTA stream; {@code source} names it in errors. */
    public static FaiIndex build(InputStream uncompressed, String source) {
        LineScanner lines = new LineScanner(uncompressed, source);
        List<Entry> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String name = null;
        long headerLine = 0;
        long length = 0;
        long offset = 0;
        int lineBases = -1;
        int lineWidth = -1;
        boolean ended = false; // a short or blank line was seen: the record may hold no more bases
        long endedAt = 0;
        while (lines.next()) {
            int len = lines.length();
            if (len > 0 && lines.at(0) == '>') {
                if (name != null) out.add(finish(source, name, headerLine, length, offset, lineBases, lineWidth));
                String text = lines.text();
                int i = 1;
                while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) i++;
                int j = i;
                while (j < text.length() && text.charAt(j) != ' ' && text.charAt(j) != '\t') j++;
                name = text.substring(i, j);
                if (name.isEmpty()) {
                    throw new GenomicsFormatException(source, lines.lineNumber(),
                            "header has an empty name: expected '>name [description]'");
                }
                if (!names.add(name)) {
                    throw new GenomicsFormatException(source, lines.lineNumber(),
                            "duplicate record name '" + name + "': an indexed FASTA needs unique names");
                }
                headerLine = lines.lineNumber();
                offset = lines.offset() + len + lines.terminator();
                length = 0;
                lineBases = -1;
                lineWidth = -1;
                ended = false;
                continue;
            }
            int bases = len;
            while (bases > 0 && isTrailingBlank(lines.at(bases - 1))) bases--;
            if (bases == 0) {
                if (name != null && !ended) {
                    ended = true;
                    endedAt = lines.lineNumber();
                }
                continue;
            }
            if (name == null) {
                throw new GenomicsFormatException(source, lines.lineNumber(),
                        "expected a '>' header line before any sequence");
            }
            for (int i = 0; i < bases; i++) {
                int c = lines.at(i) & 0xff;
                if (!Bases.isIupac(c)) {
                    throw new GenomicsFormatException(source, lines.lineNumber(),
                            "unexpected character " + Bases.describe(c) + " at column " + (i + 1)
                                    + " in record '" + name + "' (" + Bases.expectedAlphabet() + ")");
                }
            }
            int width = len + lines.terminator();
            if (lines.terminator() == 0) width = len + 1; // last line without newline: as samtools
            if (ended) {
                throw new GenomicsFormatException(source, lines.lineNumber(),
                        "record '" + name + "' continues after a shorter or blank line (line " + endedAt
                                + "): an indexed FASTA needs every line of a record but the last to hold the same number of bases ("
                                + lineBases + ")");
            }
            if (lineBases < 0) {
                lineBases = bases;
                lineWidth = width;
            } else if (bases > lineBases) {
                throw new GenomicsFormatException(source, lines.lineNumber(),
                        "line holds " + bases + " bases but the first line of record '" + name + "' holds "
                                + lineBases + ": an indexed FASTA needs lines of equal length");
            } else if (bases < lineBases) {
                ended = true;
                endedAt = lines.lineNumber();
            } else if (width != lineWidth && lines.terminator() != 0) {
                throw new GenomicsFormatException(source, lines.lineNumber(),
                        "line is " + width + " bytes long with its line end but the first line of record '" + name
                                + "' is " + lineWidth + ": an indexed FASTA needs consistent line ends and no trailing blanks");
            }
            length += bases;
        }
        if (name != null) out.add(finish(source, name, headerLine, length, offset, lineBases, lineWidth));
        if (out.isEmpty()) {
            throw new GenomicsFormatException(source, 0,
                    "empty FASTA input: expected at least one record starting with a '>' header line");
        }
        return new FaiIndex(out);
    }

    private static boolean isTrailingBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static Entry finish(String source, String name, long headerLine, long length, long offset,
                                int lineBases, int lineWidth) {
        if (length == 0) {
            throw new GenomicsFormatException(source, headerLine,
                    "record '" + name + "' has no sequence: expected at least one sequence line after its header");
        }
        if (length > Integer.MAX_VALUE) {
            throw new GenomicsFormatException(source, headerLine,
                    "record '" + name + "' is " + length + " bases long; Strand handles contigs up to " + Integer.MAX_VALUE);
        }
        return new Entry(name, length, offset, lineBases, lineWidth);
    }

    /** Reads a {@code .fai} file, checking each line's five fields. */
    public static FaiIndex read(Path fai) {
        try {
            return parse(Files.readAllLines(fai, StandardCharsets.UTF_8), fai.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read FASTA index " + fai + ": " + e.getMessage(), e);
        }
    }

    /** Parses the lines of a {@code .fai} file, checking each line's five fields; {@code source} names it in errors. */
    public static FaiIndex parse(List<String> text, String source) {
        List<Entry> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < text.size(); i++) {
            String line = text.get(i);
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            if (f.length < 5) {
                throw new GenomicsFormatException(source, i + 1,
                        "expected 5 tab-separated fields (name, length, offset, linebases, linewidth), found " + f.length);
            }
            try {
                Entry e = new Entry(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Integer.parseInt(f[3]), Integer.parseInt(f[4]));
                if (e.name.isEmpty() || e.length <= 0 || e.offset < 0 || e.lineBases <= 0
                        || e.lineWidth < e.lineBases || e.length > Integer.MAX_VALUE) {
                    throw new NumberFormatException("out of range");
                }
                if (!names.add(e.name)) {
                    throw new GenomicsFormatException(source, i + 1, "duplicate contig name '" + e.name + "'");
                }
                out.add(e);
            } catch (NumberFormatException ex) {
                throw new GenomicsFormatException(source, i + 1,
                        "expected a non-empty name, a positive length, an offset >= 0 and linebases <= linewidth, found '"
                                + line + "'");
            }
        }
        if (out.isEmpty()) throw new GenomicsFormatException(source, 0, "empty FASTA index");
        return new FaiIndex(out);
    }

    /**
     * Rejects an index whose records would lie beyond the end of its plain FASTA of {@code size}
     * bytes: a stale index, or another file's.
     */
    public void checkFits(long size, String fasta, String index) {
        List<String> bad = new ArrayList<>();
        for (Entry e : entries) {
            long endByte = e.offset() + span(e);
            if (endByte > size) bad.add(e.name() + " (ends at byte " + endByte + ")");
        }
        if (!bad.isEmpty()) {
            throw new GenomicsFormatException(index, 0,
                    "FASTA index does not match " + fasta + " (" + size + " bytes): records past its end: "
                            + String.join(", ", bad.subList(0, Math.min(3, bad.size())))
                            + "; the index is stale or belongs to another file (delete it to rebuild it)");
        }
    }

    /** The byte offset of base {@code base} (0-based) of entry {@code e}. */
    public static long byteOffset(Entry e, long base) {
        return e.offset + base / e.lineBases * e.lineWidth + base % e.lineBases;
    }

    /** Bytes from the first base of an entry to just after its last base. */
    static long span(Entry e) {
        long last = e.length - 1;
        return last / e.lineBases * e.lineWidth + last % e.lineBases + 1;
    }
}

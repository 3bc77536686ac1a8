package dev.strand.genomics.io;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads BED regions (plain, gzip or bgzip). Columns are tab-separated (lines without a tab are
 * split at runs of blanks); at least chrom, start, end are needed; name, score and strand
 * (columns 4–6) are read when present, and all columns are kept. Blank lines and lines starting
 * with {@code #}, {@code track} or {@code browser} are skipped.
 *
 * <p>A malformed line is a {@link GenomicsFormatException} naming the file and line: fewer than
 * 3 columns, start or end not an integer in 0 … 2³¹−1, start after end, a non-numeric score, or a
 * strand other than {@code +}, {@code -} or {@code .}.
 */
public final class BedReader extends TextRecordReader<BedRegion> {
    private BedReader(InputStream in, String source) {
        super(in, source);
    }

    public static BedReader open(Path path) {
        return new BedReader(Compression.open(path), path.toString());
    }

    public static BedReader of(InputStream uncompressed, String source) {
        return new BedReader(uncompressed, source);
    }

    public static List<BedRegion> readAll(Path path) {
        try (BedReader r = open(path)) {
            return r.toList();
        }
    }

    @Override
    protected BedRegion parse(String line, long n) {
        if (line.isBlank() || line.startsWith("#") || line.startsWith("track") || line.startsWith("browser")) {
            return null;
        }
        String[] f = line.indexOf('\t') >= 0 ? line.split("\t", -1) : line.strip().split("\\s+");
        if (f.length < 3) {
            throw error(n, "expected at least 3 tab-separated columns (chrom, start, end), found " + f.length);
        }
        for (int i = 0; i < f.length; i++) f[i] = f[i].strip();
        if (f[0].isEmpty()) throw error(n, "empty chrom: expected a chromosome name in column 1");
        int start = (int) parseLong(f[1], "start (column 2)", n, 0, Integer.MAX_VALUE);
        int end = (int) parseLong(f[2], "end (column 3)", n, 0, Integer.MAX_VALUE);
        if (start > end) {
            throw error(n, "start " + start + " is after end " + end + ": expected start <= end (0-based half-open)");
        }
        String name = f.length > 3 ? f[3] : "";
        double score = Double.NaN;
        if (f.length > 4 && !f[4].equals(".") && !f[4].isEmpty()) {
            try {
                score = Double.parseDouble(f[4]);
            } catch (NumberFormatException e) {
                throw error(n, "score (column 5) must be a number or '.', found '" + f[4] + "'");
            }
        }
        char strand = '.';
        if (f.length > 5) {
            switch (f[5]) {
                case "+" -> strand = '+';
                case "-" -> strand = '-';
                case ".", "" -> strand = '.';
                default -> throw error(n, "strand (column 6) must be '+', '-' or '.', found '" + f[5] + "'");
            }
        }
        return new BedRegion(f[0], start, end, name, score, strand, List.of(f), n);
    }
}

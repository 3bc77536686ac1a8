package dev.strand.genomics.io;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the sites of a VCF file (plain, gzip or bgzip; no index needed): CHROM, POS, ID, REF and
 * ALT of every data line, in file order. Genotype columns are not parsed. The header is read at
 * open: meta lines, {@code ##contig} lengths and sample names.
 *
 * <p>Each violation is a {@link GenomicsFormatException} naming the file and line: an empty file;
 * a data line before the {@code #CHROM} line; fewer than 8 tab-separated columns; POS not an
 * integer in 1 … 2³¹−1; an empty REF or a REF with letters outside the IUPAC codes; an empty
 * ALT allele; and a POS (or a REF end) past the length a {@code ##contig} line declares for the
 * chromosome. Whether REF matches a reference genome is {@link VariantCheck}'s job.
 */
public final class VcfReader extends TextRecordReader<VcfVariant> {
    private static final Pattern CONTIG_ID = Pattern.compile("[<,]ID=\"?([^,>\"]+)\"?");
    private static final Pattern CONTIG_LENGTH = Pattern.compile("[<,]length=(\\d+)");

    private final List<String> meta = new ArrayList<>();
    private final Map<String, Long> contigLengths = new LinkedHashMap<>();
    private final List<String> samples = new ArrayList<>();

    private VcfReader(InputStream in, String source) {
        super(in, source);
        readHeader();
    }

    /** Opens a VCF file, plain or compressed. */
    public static VcfReader open(Path path) {
        return new VcfReader(Compression.open(path), path.toString());
    }

    /** Reads VCF from an uncompressed stream; {@code source} names it in errors. */
    public static VcfReader of(InputStream uncompressed, String source) {
        return new VcfReader(uncompressed, source);
    }

    /** Reads all variants of a file. */
    public static List<VcfVariant> readAll(Path path) {
        try (VcfReader r = open(path)) {
            return r.toList();
        }
    }

    private void readHeader() {
        while (true) {
            if (!lines.next()) {
                throw error(lines.lineNumber(), lines.lineNumber() == 0
                        ? "empty VCF: expected '##fileformat=VCFv4.x' meta lines and a '#CHROM' header line"
                        : "VCF ends inside its header: expected a '#CHROM POS ID REF ALT QUAL FILTER INFO' line");
            }
            String line = lines.text();
            long n = lines.lineNumber();
            if (line.startsWith("##")) {
                meta.add(line);
                if (line.startsWith("##contig=")) {
                    Matcher id = CONTIG_ID.matcher(line);
                    Matcher len = CONTIG_LENGTH.matcher(line);
                    if (id.find() && len.find()) {
                        contigLengths.put(id.group(1), parseLong(len.group(1), "##contig length", n, 1, Long.MAX_VALUE));
                    }
                }
            } else if (line.startsWith("#CHROM")) {
                String[] f = line.split("\t", -1);
                String[] expected = {"#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"};
                if (f.length < expected.length) {
                    throw error(n, "header line must be tab-separated '#CHROM POS ID REF ALT QUAL FILTER INFO"
                            + " [FORMAT samples…]', found " + f.length + " column(s)");
                }
                for (int i = 0; i < expected.length; i++) {
                    if (!f[i].equals(expected[i])) {
                        throw error(n, "header column " + (i + 1) + " must be '" + expected[i] + "', found '" + f[i] + "'");
                    }
                }
                for (int i = 9; i < f.length; i++) samples.add(f[i]);
                return;
            } else if (line.isBlank()) {
                continue;
            } else {
                throw error(n, "expected '##' meta lines and then the '#CHROM POS ID REF ALT QUAL FILTER INFO'"
                        + " header line before any data, found '" + preview(line) + "'");
            }
        }
    }

    @Override
    protected VcfVariant parse(String line, long n) {
        if (line.isBlank()) return null;
        if (line.startsWith("#")) {
            throw error(n, "header line after the '#CHROM' line: expected a data line");
        }
        String[] f = line.split("\t", 9);
        if (f.length < 8) {
            throw error(n, "expected at least 8 tab-separated columns (CHROM POS ID REF ALT QUAL FILTER INFO), found "
                    + f.length);
        }
        String chrom = f[0];
        if (chrom.isEmpty()) throw error(n, "empty CHROM: expected a chromosome name");
        int pos = (int) parseLong(f[1], "POS", n, 1, Integer.MAX_VALUE);
        String ref = f[3];
        if (ref.isEmpty() || ref.equals(".")) throw error(n, "empty REF: expected reference bases (A, C, G, T, N)");
        int bad = Bases.indexOfNonIupac(ref);
        if (bad >= 0) {
            throw error(n, "REF '" + preview(ref) + "' has " + Bases.describe(ref.charAt(bad)) + " at "
                    + (bad + 1) + ": " + Bases.expectedAlphabet());
        }
        List<String> alts;
        if (f[4].equals(".")) {
            alts = List.of();
        } else {
            alts = new ArrayList<>();
            for (String a : f[4].split(",", -1)) {
                if (a.isEmpty()) throw error(n, "empty ALT allele in '" + f[4] + "': expected bases, '*', '.' or <ID>");
                alts.add(a);
            }
        }
        Long declared = contigLengths.get(chrom);
        if (declared != null) {
            long end = (long) pos - 1 + ref.length();
            if (pos > declared) {
                throw error(n, "POS " + pos + " is past the end of contig '" + chrom + "' (length " + declared
                        + " in its ##contig line): expected 1 <= POS <= " + declared);
            }
            if (end > declared) {
                throw error(n, "REF '" + preview(ref) + "' at POS " + pos + " runs past the end of contig '" + chrom
                        + "' (length " + declared + " in its ##contig line)");
            }
        }
        return new VcfVariant(chrom, pos, f[2], ref, alts, source, n);
    }

    private static String preview(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** The {@code ##} meta lines, in order. */
    public List<String> metaLines() {
        return Collections.unmodifiableList(meta);
    }

    /** Contig lengths declared by {@code ##contig=<ID=…,length=…>} lines. */
    public Map<String, Long> contigLengths() {
        return Collections.unmodifiableMap(contigLengths);
    }

    /** Sample names from the {@code #CHROM} line (empty for a sites-only VCF). */
    public List<String> samples() {
        return Collections.unmodifiableList(samples);
    }
}

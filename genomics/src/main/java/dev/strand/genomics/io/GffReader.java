package dev.strand.genomics.io;

import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads GFF3 features (plain, gzip or bgzip): 9 tab-separated columns seqid, source, type, start,
 * end, score, strand, phase, attributes; 1-based inclusive coordinates in the file become 0-based
 * half-open in {@link GffFeature}. Comment and directive lines ({@code #…}) and blank lines are
 * skipped; reading stops at a {@code ##FASTA} directive. GTF-style attributes ({@code key "value";})
 * are accepted too, so GTF and AUGUSTUS hint files read as well.
 *
 * <p>A malformed line is a {@link GenomicsFormatException} naming the file and line: not 9
 * columns, start/end not integers with 1 ≤ start ≤ end, a non-numeric score, a strand other than
 * {@code + - . ?}, a phase other than {@code 0 1 2 .}, or an attribute without a key.
 */
public final class GffReader extends TextRecordReader<GffFeature> {
    private GffReader(InputStream in, String source) {
        super(in, source);
    }

    public static GffReader open(Path path) {
        return new GffReader(Compression.open(path), path.toString());
    }

    public static GffReader of(InputStream uncompressed, String source) {
        return new GffReader(uncompressed, source);
    }

    public static List<GffFeature> readAll(Path path) {
        try (GffReader r = open(path)) {
            return r.toList();
        }
    }

    @Override
    protected boolean stopsAt(String line) {
        return line.startsWith("##FASTA");
    }

    @Override
    protected GffFeature parse(String line, long n) {
        if (line.isBlank() || line.startsWith("#")) return null;
        String[] f = line.split("\t", -1);
        if (f.length == 10 && f[9].isBlank()) f = java.util.Arrays.copyOf(f, 9); // a trailing tab
        if (f.length != 9) {
            throw error(n, "expected 9 tab-separated columns (seqid source type start end score strand phase attributes), found "
                    + f.length);
        }
        if (f[0].isEmpty()) throw error(n, "empty seqid: expected a sequence name in column 1");
        if (f[2].isEmpty()) throw error(n, "empty type: expected a feature type in column 3");
        long start = parseLong(f[3], "start (column 4)", n, 1, Integer.MAX_VALUE);
        long end = parseLong(f[4], "end (column 5)", n, 1, Integer.MAX_VALUE);
        if (start > end) {
            throw error(n, "start " + start + " is after end " + end + ": expected start <= end (1-based inclusive)");
        }
        double score = Double.NaN;
        if (!f[5].equals(".")) {
            try {
                score = Double.parseDouble(f[5]);
            } catch (NumberFormatException e) {
                throw error(n, "score (column 6) must be a number or '.', found '" + f[5] + "'");
            }
        }
        if (f[6].length() != 1 || "+-.?".indexOf(f[6].charAt(0)) < 0) {
            throw error(n, "strand (column 7) must be '+', '-', '.' or '?', found '" + f[6] + "'");
        }
        int phase = switch (f[7]) {
            case "." -> -1;
            case "0" -> 0;
            case "1" -> 1;
            case "2" -> 2;
            default -> throw error(n, "phase (column 8) must be 0, 1, 2 or '.', found '" + f[7] + "'");
        };
        Map<String, List<String>> attrs = attributes(f[8], n);
        return new GffFeature(f[0], f[1], f[2], (int) start - 1, (int) end, score, f[6].charAt(0), phase, attrs, n);
    }

    private Map<String, List<String>> attributes(String column, long n) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String c = column.strip();
        if (c.isEmpty() || c.equals(".")) return out;
        for (String part : c.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            int eq = p.indexOf('=');
            String key;
            String value;
            if (eq >= 0) {
                key = p.substring(0, eq).strip();
                value = p.substring(eq + 1);
            } else {
                // GTF: key "value" or key value
                int sp = p.indexOf(' ');
                if (sp < 0) throw error(n, "attribute '" + p + "' has no value: expected key=value (GFF3) or key \"value\" (GTF)");
                key = p.substring(0, sp);
                value = p.substring(sp + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
            }
            if (key.isEmpty()) throw error(n, "attribute '" + p + "' has an empty key: expected key=value");
            List<String> values = out.computeIfAbsent(key, k -> new ArrayList<>());
            for (String v : value.split(",", -1)) values.add(decode(v, n));
        }
        return out;
    }

    private String decode(String v, long n) {
        if (v.indexOf('%') < 0) return v;
        try {
            return URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw error(n, "bad percent escape in attribute value '" + v + "': expected %XX hex codes");
        }
    }
}

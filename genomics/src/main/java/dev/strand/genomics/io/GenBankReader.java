package dev.strand.genomics.io;

import java.io.Closeable;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Streams the records of a GenBank flat file (plain, gzip or bgzip), one {@code LOCUS … //} at a
 * time: LOCUS name and length, DEFINITION, ACCESSION, the feature table (every key; locations with
 * {@code complement(…)}, {@code join(…)}, partial ends; multi-line locations and qualifiers) and
 * the ORIGIN sequence. Other header sections are skipped. Reads both NCBI files and minimal ones
 * such as AUGUSTUS's {@code genes.gb} (LOCUS, FEATURES, ORIGIN only).
 *
 * <p>Errors name the file and line: text before a LOCUS line, a feature location that does not
 * parse or lies outside the sequence, a character outside the IUPAC codes in ORIGIN, an ORIGIN
 * whose length differs from the LOCUS line's, and a record not closed by {@code //}.
 */
public final class GenBankReader implements Iterator<GenBankRecord>, Closeable {
    private static final int FEATURE_INDENT = 5;

    private final LineScanner lines;
    private final String source;
    private GenBankRecord next;
    private boolean done;
    private byte[] seq = new byte[1 << 12];

    private GenBankReader(InputStream in, String source) {
        this.lines = new LineScanner(in, source);
        this.source = source;
    }

    public static GenBankReader open(Path path) {
        return new GenBankReader(Compression.open(path), path.toString());
    }

    public static GenBankReader of(InputStream uncompressed, String source) {
        return new GenBankReader(uncompressed, source);
    }

    public static List<GenBankRecord> readAll(Path path) {
        try (GenBankReader r = open(path)) {
            List<GenBankRecord> out = new ArrayList<>();
            r.forEachRemaining(out::add);
            return out;
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) next = readRecord();
        return next != null;
    }

    @Override
    public GenBankRecord next() {
        if (!hasNext()) throw new NoSuchElementException("no more records in " + source);
        GenBankRecord r = next;
        next = null;
        return r;
    }

    private GenomicsFormatException err(long line, String msg) {
        return new GenomicsFormatException(source, line, msg);
    }

    private GenBankRecord readRecord() {
        // Find LOCUS.
        String line;
        while (true) {
            if (!lines.next()) {
                done = true;
                return null;
            }
            line = lines.text();
            if (line.isBlank()) continue;
            if (!line.startsWith("LOCUS")) {
                throw err(lines.lineNumber(), "expected a 'LOCUS' line to start a GenBank record, found '"
                        + preview(line) + "'");
            }
            break;
        }
        long locusLine = lines.lineNumber();
        String[] tok = line.trim().split("\\s+");
        if (tok.length < 2) throw err(locusLine, "LOCUS line without a name: expected 'LOCUS name length bp …'");
        String locus = tok[1];
        long declared = -1;
        for (int i = 2; i + 1 < tok.length; i++) {
            if ((tok[i + 1].equals("bp") || tok[i + 1].equals("aa")) && tok[i].chars().allMatch(Character::isDigit)) {
                declared = Long.parseLong(tok[i]);
                break;
            }
        }
        StringBuilder definition = new StringBuilder();
        StringBuilder accession = new StringBuilder();
        StringBuilder current = null; // header section being continued
        List<PendingFeature> features = new ArrayList<>();
        int n = 0;
        String section = "";
        boolean closed = false;
        while (lines.next()) {
            line = lines.text();
            long ln = lines.lineNumber();
            if (line.startsWith("//")) {
                closed = true;
                break;
            }
            boolean keywordLine = !line.isEmpty() && line.charAt(0) != ' ';
            if (keywordLine) {
                String kw = line.split("\\s+", 2)[0];
                section = kw;
                current = null;
                String rest = line.length() > kw.length() ? line.substring(kw.length()).strip() : "";
                switch (kw) {
                    case "DEFINITION" -> {
                        definition.append(rest);
                        current = definition;
                    }
                    case "ACCESSION" -> {
                        accession.append(rest);
                        current = accession;
                    }
                    case "LOCUS" -> throw err(ln, "LOCUS line inside record '" + locus
                            + "': expected '//' to end the previous record");
                    default -> {}
                }
                continue;
            }
            switch (section) {
                case "FEATURES" -> featureLine(line, ln, features);
                case "ORIGIN" -> n = originLine(lines, n, locus);
                default -> {
                    if (current != null && !line.isBlank()) current.append(' ').append(line.strip());
                }
            }
        }
        if (!closed) {
            done = true;
            throw err(lines.lineNumber(), "record '" + locus + "' (LOCUS at line " + locusLine
                    + ") ends without '//': expected '//' after the ORIGIN sequence (truncated file?)");
        }
        String sequence = new String(seq, 0, n, StandardCharsets.ISO_8859_1);
        if (n > 0 && declared >= 0 && n != declared) {
            throw err(locusLine, "record '" + locus + "' has " + n + " bases in ORIGIN but its LOCUS line says "
                    + declared + " bp");
        }
        long limit = n > 0 ? n : declared;
        List<GenBankFeature> out = new ArrayList<>(features.size());
        for (PendingFeature p : features) out.add(p.finish(limit, locus));
        return new GenBankRecord(locus, declared, definition.toString(), accession.toString(), out, sequence, source,
                locusLine);
    }

    private void featureLine(String line, long ln, List<PendingFeature> features) {
        if (line.isBlank()) return;
        int indent = 0;
        while (indent < line.length() && line.charAt(indent) == ' ') indent++;
        String body = line.substring(indent).stripTrailing();
        if (indent <= FEATURE_INDENT) {
            String[] kv = body.split("\\s+", 2);
            features.add(new PendingFeature(kv[0], kv.length > 1 ? kv[1] : "", ln));
            return;
        }
        if (features.isEmpty()) {
            throw err(ln, "feature qualifier or location continuation before any feature key");
        }
        features.get(features.size() - 1).add(body, ln);
    }

    private int originLine(LineScanner l, int n, String locus) {
        int len = l.length();
        for (int i = 0; i < len; i++) {
            int c = l.at(i) & 0xff;
            if (c == ' ' || c == '\t' || c == '\r' || (c >= '0' && c <= '9')) continue;
            if (!Bases.isIupac(c)) {
                throw err(l.lineNumber(), "unexpected character " + Bases.describe(c) + " at column " + (i + 1)
                        + " of the ORIGIN of record '" + locus + "' (" + Bases.expectedAlphabet() + ")");
            }
            if (n == seq.length) seq = Arrays.copyOf(seq, seq.length + (seq.length >> 1));
            seq[n++] = (byte) c;
        }
        return n;
    }

    /** A feature being read: location text until the first qualifier, then qualifiers. */
    private final class PendingFeature {
        final String key;
        final long line;
        final StringBuilder location = new StringBuilder();
        long locationEndLine;
        final Map<String, List<String>> qualifiers = new LinkedHashMap<>();
        String qName;
        StringBuilder qValue;
        boolean inQuotes;

        PendingFeature(String key, String location, long line) {
            this.key = key;
            this.location.append(location);
            this.line = line;
            this.locationEndLine = line;
        }

        void add(String body, long ln) {
            if (qName == null && !body.startsWith("/")) {
                location.append(body);
                locationEndLine = ln;
                return;
            }
            if (inQuotes || (!body.startsWith("/") && qName != null)) {
                // continuation of a qualifier value
                qValue.append(qName.equals("translation") ? "" : " ").append(body);
                inQuotes = openQuote(qValue);
                return;
            }
            endQualifier();
            int eq = body.indexOf('=');
            qName = eq < 0 ? body.substring(1) : body.substring(1, eq);
            qValue = new StringBuilder(eq < 0 ? "" : body.substring(eq + 1));
            inQuotes = openQuote(qValue);
        }

        private boolean openQuote(StringBuilder v) {
            if (v.isEmpty() || v.charAt(0) != '"') return false;
            int quotes = 0;
            for (int i = 0; i < v.length(); i++) if (v.charAt(i) == '"') quotes++;
            return quotes % 2 == 1;
        }

        private void endQualifier() {
            if (qName == null) return;
            String v = qValue.toString();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1).replace("\"\"", "\"");
            }
            qualifiers.computeIfAbsent(qName, k -> new ArrayList<>()).add(v);
            qName = null;
        }

        GenBankFeature finish(long sequenceLength, String locus) {
            if (inQuotes) {
                throw err(line, "qualifier /" + qName + " of feature " + key + " in record '" + locus
                        + "' has no closing '\"'");
            }
            endQualifier();
            GenBankLocation loc;
            try {
                loc = GenBankLocation.parse(location.toString());
            } catch (IllegalArgumentException e) {
                throw err(line, "feature " + key + " of record '" + locus + "': " + e.getMessage());
            }
            if (sequenceLength >= 0 && loc.end() > sequenceLength) {
                throw err(line, "feature " + key + " " + loc + " of record '" + locus + "' ends at base " + loc.end()
                        + ", past the end of the " + sequenceLength + " bp sequence");
            }
            return new GenBankFeature(key, loc, qualifiers, line);
        }
    }

    private static String preview(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    @Override
    public void close() {
        lines.close();
    }
}

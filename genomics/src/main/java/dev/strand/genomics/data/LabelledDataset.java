package dev.strand.genomics.data;

import dev.strand.genomics.io.Bases;
import dev.strand.genomics.io.GenomicsFormatException;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * Labelled DNA sequences for fine-tuning: rows of (sequence, label) read from a CSV or TSV file with
 * a header, as in the GUE benchmark ({@code sequence,label}).
 *
 * <p><b>Format</b>: the first non-blank line is the header; one column is named {@code sequence}
 * (any case), every other column is a label. Classification takes exactly one label column of
 * non-negative integers (classes 0 … max); regression one or more columns of floats. The separator
 * is a tab for {@code .tsv}/{@code .tab} files, a comma for {@code .csv}, and otherwise a tab if the
 * header holds one; {@code .gz} files are decompressed. Fields may be wrapped in double quotes (no
 * separators or quotes inside). Blank lines are skipped. A row with the wrong number of columns, an
 * empty or non-letter sequence, a label that is not a number (or not a non-negative integer for
 * classification), a file with no header or no rows: {@link GenomicsFormatException} naming file and
 * line.
 *
 * <p><b>Splits</b>: {@link #split} shuffles row indices with a seeded {@link Generator}
 * (Fisher–Yates) and cuts them by ratio; {@link #readSplits} reads given split files instead.
 *
 * <p><b>Batching</b>: each sequence is tokenized with {@link Tokenizer#encodeWithSpecials}; rows
 * are padded with {@link Tokenizer#pad} to the longest row in the batch, or to
 * {@link Batching#maxLength} when {@link Batching#padToMax}. A row longer than {@code maxLength}
 * tokens is cut per {@link Truncation}: its leading and trailing special tokens ([CLS], [SEP],
 * control tags) are always kept and the body between them is shortened.
 */
public final class LabelledDataset {
    /** What the labels are. */
    public enum Task {
        /** One integer class per row; labels tensor INT32 [B]. */
        CLASSIFICATION,
        /** One or more float targets per row; labels tensor FLOAT32 [B, targets]. */
        REGRESSION
    }

    /** Which body tokens a too-long row keeps. */
    public enum Truncation {
        /** Keep the first tokens, drop the tail (Hugging Face's default). */
        RIGHT,
        /** Keep the last tokens. */
        LEFT,
        /** Keep the middle (for tasks labelled at the centre, e.g. splice sites). */
        CENTER,
        /** A too-long row is an error. */
        ERROR
    }

    /**
     * How to pad and cut: {@code maxLength} tokens at most per row including specials
     * ({@code Integer.MAX_VALUE} for no limit); {@code padToMax} pads every batch to
     * {@code maxLength} instead of to its longest row.
     */
    public record Batching(int maxLength, Truncation truncation, boolean padToMax) implements java.io.Serializable {
        public Batching {
            if (maxLength < 3) throw new IllegalArgumentException("max length must leave room for specials and a token, got " + maxLength);
            if (padToMax && maxLength == Integer.MAX_VALUE) throw new IllegalArgumentException("padding to the max length needs a max length");
        }

        /** Pad to the longest row in each batch, no truncation. */
        public static Batching longest() {
            return new Batching(Integer.MAX_VALUE, Truncation.ERROR, false);
        }

        /** Pad to the longest row, cutting rows over {@code maxLength} tokens from the right. */
        public static Batching maxLength(int maxLength) {
            return new Batching(maxLength, Truncation.RIGHT, false);
        }
    }

    /** One row: the sequence, its label value(s), and its 1-based line in the source file (0 if built in memory). */
    public record Row(String sequence, float[] labels, int line) implements java.io.Serializable {
        /** The class of a classification row. */
        public int classLabel() {
            return (int) labels[0];
        }
    }

    /** Train, dev and test parts. */
    public record Splits(LabelledDataset train, LabelledDataset dev, LabelledDataset test) {}

    private final String source;
    private final Task task;
    private final List<String> labelNames;
    private final List<Row> rows;

    private LabelledDataset(String source, Task task, List<String> labelNames, List<Row> rows) {
        this.source = source;
        this.task = task;
        this.labelNames = List.copyOf(labelNames);
        this.rows = List.copyOf(rows);
    }

    /** A dataset built in memory; rows are checked as file rows are. */
    public static LabelledDataset of(String source, Task task, List<String> labelNames, List<Row> rows) {
        int width = labelNames.size();
        if (width == 0 || (task == Task.CLASSIFICATION && width != 1)) {
            throw new IllegalArgumentException(source + ": " + task + " needs " + (task == Task.CLASSIFICATION ? "one label column" : "label columns") + ", got " + labelNames);
        }
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            String where = source + " row " + i;
            if (r.labels().length != width) throw new IllegalArgumentException(where + ": " + r.labels().length + " labels, expected " + width);
            String bad = checkSequence(r.sequence());
            if (bad != null) throw new IllegalArgumentException(where + ": " + bad);
            if (task == Task.CLASSIFICATION && !(r.labels()[0] >= 0 && r.labels()[0] == Math.rint(r.labels()[0]))) {
                throw new IllegalArgumentException(where + ": class label " + r.labels()[0] + " is not a non-negative integer");
            }
        }
        return new LabelledDataset(source, task, labelNames, rows);
    }

    /** A classification dataset from parallel lists. */
    public static LabelledDataset classification(String source, List<String> sequences, int[] labels) {
        if (sequences.size() != labels.length) throw new IllegalArgumentException(sequences.size() + " sequences but " + labels.length + " labels");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) rows.add(new Row(sequences.get(i), new float[] {labels[i]}, 0));
        return of(source, Task.CLASSIFICATION, List.of("label"), rows);
    }

    /** Reads a CSV/TSV file with a header (see the class comment). */
    public static LabelledDataset read(Path file, Task task) throws IOException {
        String name = file.toString();
        if (!Files.isRegularFile(file)) throw new java.io.FileNotFoundException(name + ": no such file");
        return read(name, Files.newInputStream(file), task);
    }

    /**
     * Reads a CSV/TSV stream with a header, closing it; {@code name} (a path or URI) names it in
     * errors, and its ending says the separator and whether it is gzipped ({@code .gz}).
     */
    public static LabelledDataset read(String name, InputStream raw, Task task) throws IOException {
        try (raw; InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
            String lower = base.toLowerCase(Locale.ROOT);
            Character sep = lower.endsWith(".tsv") || lower.endsWith(".tab") ? Character.valueOf('\t')
                    : lower.endsWith(".csv") ? Character.valueOf(',') : null;
            return parse(name, reader, task, sep);
        }
    }

    /** Reads given split files; {@code dev} may be null (an empty dev set). */
    public static Splits readSplits(Path train, Path dev, Path test, Task task) throws IOException {
        return splits(read(train, task), dev == null ? null : read(dev, task), read(test, task));
    }

    /** Splits read apart, checked to share their label columns; {@code dev} may be null (an empty dev set). */
    public static Splits splits(LabelledDataset train, LabelledDataset dev, LabelledDataset test) throws IOException {
        LabelledDataset dv = dev == null ? new LabelledDataset("(no dev set)", train.task, train.labelNames, List.of()) : dev;
        if (!train.labelNames.equals(test.labelNames) || !train.labelNames.equals(dv.labelNames)) {
            throw new IOException("split files disagree on label columns: " + train.source + " " + train.labelNames + ", "
                    + (dev == null ? "" : dev.source + " " + dv.labelNames + ", ") + test.source + " " + test.labelNames);
        }
        return new Splits(train, dv, test);
    }

    /** Reads a GUE-style task directory: {@code train.csv}, {@code dev.csv} (optional), {@code test.csv}. */
    public static Splits readDirectory(Path dir, Task task) throws IOException {
        Path dev = dir.resolve("dev.csv");
        return readSplits(dir.resolve("train.csv"), Files.exists(dev) ? dev : null, dir.resolve("test.csv"), task);
    }

    private static LabelledDataset parse(String name, BufferedReader reader, Task task, Character sepOrNull) throws IOException {
        String line;
        int lineNo = 0;
        String header = null;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
            if (!line.isBlank()) {
                header = line;
                break;
            }
        }
        if (header == null) throw new GenomicsFormatException(name, Math.max(1, lineNo), "empty file: expected a header such as sequence,label");
        char sep = sepOrNull != null ? sepOrNull : header.indexOf('\t') >= 0 ? '\t' : ',';
        String[] cols = split(header, sep);
        int seqCol = -1;
        List<String> labelNames = new ArrayList<>();
        for (int i = 0; i < cols.length; i++) {
            String c = cols[i].trim();
            if (c.equalsIgnoreCase("sequence")) {
                if (seqCol >= 0) throw new GenomicsFormatException(name, lineNo, "header has two sequence columns: " + header);
                seqCol = i;
            } else {
                if (c.isEmpty()) throw new GenomicsFormatException(name, lineNo, "header has an empty column name: " + header);
                labelNames.add(c);
            }
        }
        if (seqCol < 0) throw new GenomicsFormatException(name, lineNo, "header has no 'sequence' column: " + header);
        if (labelNames.isEmpty()) throw new GenomicsFormatException(name, lineNo, "header has no label column: " + header);
        if (task == Task.CLASSIFICATION && labelNames.size() != 1) {
            throw new GenomicsFormatException(name, lineNo, "classification needs exactly one label column, header has " + labelNames);
        }
        List<Row> rows = new ArrayList<>();
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) continue;
            String[] f = split(line, sep);
            if (f.length != cols.length) {
                throw new GenomicsFormatException(name, lineNo, f.length + " columns, header has " + cols.length
                        + " (separator '" + (sep == '\t' ? "\\t" : String.valueOf(sep)) + "')");
            }
            String seq = f[seqCol].trim();
            String bad = checkSequence(seq);
            if (bad != null) throw new GenomicsFormatException(name, lineNo, bad);
            float[] labels = new float[labelNames.size()];
            for (int i = 0, j = 0; i < f.length; i++) {
                if (i == seqCol) continue;
                String v = f[i].trim();
                float x;
                try {
                    x = Float.parseFloat(v);
                } catch (NumberFormatException e) {
                    throw new GenomicsFormatException(name, lineNo, "label " + labelNames.get(j) + " = '" + v + "' is not a number");
                }
                if (!Float.isFinite(x)) throw new GenomicsFormatException(name, lineNo, "label " + labelNames.get(j) + " = '" + v + "' is not finite");
                if (task == Task.CLASSIFICATION) {
                    if (!v.matches("\\+?[0-9]+")) {
                        throw new GenomicsFormatException(name, lineNo, "class label '" + v + "' is not a non-negative integer");
                    }
                }
                labels[j++] = x;
            }
            rows.add(new Row(seq, labels, lineNo));
        }
        if (rows.isEmpty()) throw new GenomicsFormatException(name, lineNo, "no data rows after the header");
        return new LabelledDataset(name, task, labelNames, rows);
    }

    private static String[] split(String line, char sep) {
        String[] f = line.split(sep == '\t' ? "\t" : ",", -1);
        for (int i = 0; i < f.length; i++) {
            String s = f[i];
            if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') f[i] = s.substring(1, s.length() - 1);
        }
        return f;
    }

    private static String checkSequence(String seq) {
        if (seq == null || seq.isEmpty()) return "empty sequence";
        for (int i = 0; i < seq.length(); i++) {
            char c = seq.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return "sequence has '" + c + "' at position " + (i + 1) + ": only letters are allowed";
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ accessors

    public String source() {
        return source;
    }

    public Task task() {
        return task;
    }

    public List<String> labelNames() {
        return labelNames;
    }

    public List<Row> rows() {
        return rows;
    }

    public int size() {
        return rows.size();
    }

    public Row row(int i) {
        return rows.get(i);
    }

    /** 1 + the largest class label (classification), the number of targets (regression). */
    public int numClasses() {
        if (task == Task.REGRESSION) return labelNames.size();
        int max = -1;
        for (Row r : rows) max = Math.max(max, r.classLabel());
        return max + 1;
    }

    /** Class labels of all rows, in order (classification). */
    public int[] classLabels() {
        if (task != Task.CLASSIFICATION) throw new IllegalStateException(source + " is a regression dataset");
        int[] y = new int[rows.size()];
        for (int i = 0; i < y.length; i++) y[i] = rows.get(i).classLabel();
        return y;
    }

    /** The rows at the given indices, as a dataset named {@code source + suffix}. */
    public LabelledDataset subset(int[] indices, String suffix) {
        List<Row> out = new ArrayList<>(indices.length);
        for (int i : indices) out.add(rows.get(i));
        return new LabelledDataset(source + suffix, task, labelNames, out);
    }

    /**
     * The same rows, each read from a strand drawn at random (its reverse complement with
     * probability 1/2), for reverse-complement augmentation: one call per pass over train gives
     * each pass its own strands.
     */
    public LabelledDataset withRandomStrands(Generator gen) {
        List<Row> out = new ArrayList<>(rows.size());
        for (Row r : rows) out.add(gen.nextFloat() < 0.5f ? new Row(Bases.reverseComplement(r.sequence()), r.labels(), r.line()) : r);
        return new LabelledDataset(source, task, labelNames, out);
    }

    // ------------------------------------------------------------------ splits

    /**
     * A deterministic random split: row indices shuffled with {@code new Generator(seed)}, then the first
     * {@code round(n·trainRatio)} go to train, the next {@code round(n·devRatio)} to dev, the rest to
     * test. Within each part rows keep their file order.
     */
    public Splits split(double trainRatio, double devRatio, long seed) {
        if (trainRatio < 0 || devRatio < 0 || trainRatio + devRatio > 1 + 1e-9) {
            throw new IllegalArgumentException("split ratios train " + trainRatio + " and dev " + devRatio + " must be non-negative and sum to at most 1");
        }
        int n = rows.size();
        int[] order = permutation(n, new Generator(seed));
        int nTrain = (int) Math.round(n * trainRatio);
        int nDev = Math.min(n - nTrain, (int) Math.round(n * devRatio));
        int[] tr = Arrays.copyOfRange(order, 0, nTrain);
        int[] dv = Arrays.copyOfRange(order, nTrain, nTrain + nDev);
        int[] te = Arrays.copyOfRange(order, nTrain + nDev, n);
        Arrays.sort(tr);
        Arrays.sort(dv);
        Arrays.sort(te);
        return new Splits(subset(tr, "[train]"), subset(dv, "[dev]"), subset(te, "[test]"));
    }

    /** A uniformly random permutation of 0 … n−1 (Fisher–Yates with {@code gen}). */
    public static int[] permutation(int n, Generator gen) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        long seed = gen.seed();
        long base = gen.advance(n);
        for (int i = n - 1; i > 0; i--) {
            int j = (int) Math.floorMod(Generator.mix(seed, base + i), (long) (i + 1));
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    // ------------------------------------------------------------------ batching

    /** The rows {@code [from, to)} as one batch. */
    public Batch batch(int from, int to, Tokenizer tokenizer, Batching batching) {
        return batch(rows.subList(from, to), tokenizer, batching);
    }

    /** The given rows as one batch (see the class comment for padding and truncation). */
    public Batch batch(List<Row> batchRows, Tokenizer tokenizer, Batching batching) {
        int b = batchRows.size();
        if (b == 0) throw new IllegalArgumentException("empty batch");
        int[][] ids = new int[b][];
        int longest = 0;
        for (int i = 0; i < b; i++) {
            Row r = batchRows.get(i);
            ids[i] = truncate(tokenizer, tokenizer.encodeWithSpecials(r.sequence()), batching, r);
            longest = Math.max(longest, ids[i].length);
        }
        int t = batching.padToMax() ? batching.maxLength() : longest;
        int[] flat = new int[b * t];
        float[] pad = new float[b * t];
        Arrays.fill(flat, tokenizer.pad());
        Arrays.fill(pad, 1f);
        for (int i = 0; i < b; i++) {
            System.arraycopy(ids[i], 0, flat, i * t, ids[i].length);
            Arrays.fill(pad, i * t, i * t + ids[i].length, 0f);
        }
        Tensor labels;
        if (task == Task.CLASSIFICATION) {
            int[] y = new int[b];
            for (int i = 0; i < b; i++) y[i] = batchRows.get(i).classLabel();
            labels = Tensor.ofInts(y, b);
        } else {
            int k = labelNames.size();
            float[] y = new float[b * k];
            for (int i = 0; i < b; i++) System.arraycopy(batchRows.get(i).labels(), 0, y, i * k, k);
            labels = Tensor.of(y, b, k);
        }
        return new Batch(Tensor.ofInts(flat, b, t), Tensor.of(pad, b, t), labels);
    }

    private int[] truncate(Tokenizer tok, int[] ids, Batching batching, Row r) {
        int max = batching.maxLength();
        if (ids.length <= max) return ids;
        String where = source + (r.line() > 0 ? ", line " + r.line() : "");
        if (batching.truncation() == Truncation.ERROR) {
            throw new IllegalArgumentException(where + ": sequence gives " + ids.length + " tokens, more than the max length " + max);
        }
        int lead = 0;
        while (lead < ids.length && tok.isSpecial(ids[lead])) lead++;
        int trail = 0;
        while (trail < ids.length - lead && tok.isSpecial(ids[ids.length - 1 - trail])) trail++;
        int keep = max - lead - trail;
        if (keep < 1) throw new IllegalArgumentException(where + ": max length " + max + " leaves no room beside " + (lead + trail) + " special tokens");
        int body = ids.length - lead - trail;
        int from = switch (batching.truncation()) {
            case RIGHT -> lead;
            case LEFT -> lead + body - keep;
            case CENTER -> lead + (body - keep) / 2;
            case ERROR -> throw new AssertionError();
        };
        int[] out = new int[max];
        System.arraycopy(ids, 0, out, 0, lead);
        System.arraycopy(ids, from, out, lead, keep);
        System.arraycopy(ids, ids.length - trail, out, lead + keep, trail);
        return out;
    }

    /**
     * Batches of {@code batchSize} rows (the last may be smaller), built lazily. With a generator the
     * row order is shuffled first (one permutation drawn when this is called); without, file order.
     */
    public Iterable<Batch> batches(int batchSize, Tokenizer tokenizer, Batching batching, Generator shuffle) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        int n = rows.size();
        int[] order;
        if (shuffle != null) {
            order = permutation(n, shuffle);
        } else {
            order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
        }
        return () -> new Iterator<>() {
            int at = 0;

            @Override
            public boolean hasNext() {
                return at < n;
            }

            @Override
            public Batch next() {
                if (at >= n) throw new NoSuchElementException();
                int end = Math.min(n, at + batchSize);
                List<Row> part = new ArrayList<>(end - at);
                for (int i = at; i < end; i++) part.add(rows.get(order[i]));
                at = end;
                return batch(part, tokenizer, batching);
            }
        };
    }

    // ------------------------------------------------------------------ writing

    /** Writes the rows as {@code sequence,<labels>} (comma-separated; tab for a .tsv name), atomically. */
    public void write(Path file) throws IOException {
        char sep = file.toString().toLowerCase(Locale.ROOT).endsWith(".tsv") ? '\t' : ',';
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write("sequence");
            for (String l : labelNames) w.write(sep + l);
            w.newLine();
            for (Row r : rows) {
                w.write(r.sequence());
                for (float v : r.labels()) {
                    w.write(sep);
                    w.write(task == Task.CLASSIFICATION ? Integer.toString((int) v) : Float.toString(v));
                }
                w.newLine();
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

package dev.strand.genomics.tasks;

import dev.strand.genomics.data.LabelledDataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output of a task builder: train, dev and test rows (dev empty where the task leaves cutting it
 * from train to {@link FineTuningData#of(TaskData, double, long)}), the class names (index = label),
 * and counts of what was kept and dropped, for reports.
 */
public record TaskData(String name, List<String> classNames, List<TaskRow> train, List<TaskRow> dev, List<TaskRow> test, Map<String, Long> counts) {
    public TaskData {
        train = List.copyOf(train);
        dev = List.copyOf(dev);
        test = List.copyOf(test);
        classNames = List.copyOf(classNames);
        counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    /** A task without a dev split of its own. */
    public TaskData(String name, List<String> classNames, List<TaskRow> train, List<TaskRow> test, Map<String, Long> counts) {
        this(name, classNames, train, List.of(), test, counts);
    }

    /** Rows per label in {@code rows}. */
    public int[] labelCounts(List<TaskRow> rows) {
        int[] c = new int[classNames.size()];
        for (TaskRow r : rows) c[r.label()]++;
        return c;
    }

    /** Number of rows of {@code a} whose interval overlaps the interval of some row of {@code b}. */
    public static long overlapping(List<TaskRow> a, List<TaskRow> b) {
        long n = 0;
        for (boolean f : overlapFlags(a, b)) if (f) n++;
        return n;
    }

    /** For each row of {@code a}: does its interval overlap the interval of some row of {@code b}? */
    public static boolean[] overlapFlags(List<TaskRow> a, List<TaskRow> b) {
        Map<String, List<TaskRow>> byContig = new HashMap<>();
        for (TaskRow r : b) byContig.computeIfAbsent(r.contig(), k -> new ArrayList<>()).add(r);
        Map<String, int[][]> index = new HashMap<>(); // contig -> {starts sorted, prefix max of ends}
        for (Map.Entry<String, List<TaskRow>> e : byContig.entrySet()) {
            List<TaskRow> rows = new ArrayList<>(e.getValue());
            rows.sort(Comparator.comparingInt(TaskRow::start));
            int[] starts = new int[rows.size()], maxEnd = new int[rows.size()];
            int m = Integer.MIN_VALUE;
            for (int i = 0; i < rows.size(); i++) {
                starts[i] = rows.get(i).start();
                m = Math.max(m, rows.get(i).end());
                maxEnd[i] = m;
            }
            index.put(e.getKey(), new int[][] {starts, maxEnd});
        }
        boolean[] out = new boolean[a.size()];
        for (int k = 0; k < a.size(); k++) {
            TaskRow r = a.get(k);
            int[][] ix = index.get(r.contig());
            if (ix == null) continue;
            // among rows of b starting before r.end(), does the farthest-reaching one end after r.start()?
            int i = lowerBound(ix[0], r.end()) - 1;
            out[k] = i >= 0 && ix[1][i] > r.start();
        }
        return out;
    }

    /** First index whose value is ≥ key. */
    static int lowerBound(int[] sorted, int key) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /**
     * The {@code test} rows that neither overlap a {@code train} row on the genome nor repeat a train
     * row's sequence exactly (duplicated genes, repeats); the dropped ones are counted under
     * {@code <part>RowsDroppedForOverlap} and {@code <part>RowsDroppedAsTrainDuplicate}.
     */
    static List<TaskRow> withoutLeaks(List<TaskRow> train, List<TaskRow> test, Map<String, Long> counts, String part) {
        boolean[] overlaps = overlapFlags(test, train);
        java.util.Set<String> trainSeqs = new java.util.HashSet<>();
        for (TaskRow r : train) trainSeqs.add(r.sequence());
        List<TaskRow> clean = new ArrayList<>(test.size());
        for (int i = 0; i < test.size(); i++) {
            if (overlaps[i]) counts.merge(part + "RowsDroppedForOverlap", 1L, Long::sum);
            else if (trainSeqs.contains(test.get(i).sequence())) counts.merge(part + "RowsDroppedAsTrainDuplicate", 1L, Long::sum);
            else clean.add(test.get(i));
        }
        return clean;
    }

    /** Throws if any row of one split overlaps a row of another on the genome. */
    public void assertNoOverlap() {
        long n = overlapping(train, test);
        if (n > 0) throw new IllegalStateException(name + ": " + n + " train rows overlap test rows");
        n = overlapping(dev, train);
        if (n > 0) throw new IllegalStateException(name + ": " + n + " dev rows overlap train rows");
        n = overlapping(dev, test);
        if (n > 0) throw new IllegalStateException(name + ": " + n + " dev rows overlap test rows");
    }

    /** The train rows as a classification dataset. */
    public LabelledDataset trainDataset() {
        return dataset(train, "[train]");
    }

    /** The dev rows as a classification dataset (empty if the task has none). */
    public LabelledDataset devDataset() {
        return dataset(dev, "[dev]");
    }

    /** The test rows as a classification dataset. */
    public LabelledDataset testDataset() {
        return dataset(test, "[test]");
    }

    private LabelledDataset dataset(List<TaskRow> rows, String suffix) {
        List<String> seqs = new ArrayList<>(rows.size());
        int[] labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            seqs.add(rows.get(i).sequence());
            labels[i] = rows.get(i).label();
        }
        return LabelledDataset.classification(name + suffix, seqs, labels);
    }

    /** Writes {@code train.csv}, {@code test.csv} and, if there are dev rows, {@code dev.csv} (GUE's {@code sequence,label}) into {@code dir}. */
    public void writeCsv(Path dir) throws IOException {
        trainDataset().write(dir.resolve("train.csv"));
        if (!dev.isEmpty()) devDataset().write(dir.resolve("dev.csv"));
        testDataset().write(dir.resolve("test.csv"));
    }

    /** A one-paragraph summary: rows per class and split, overlap, and the counts. */
    public String summary() {
        String devPart = dev.isEmpty() ? "" : ", dev " + dev.size() + " " + Arrays.toString(labelCounts(dev));
        return name + ": train " + train.size() + " " + Arrays.toString(labelCounts(train)) + devPart + ", test " + test.size() + " "
                + Arrays.toString(labelCounts(test)) + " (classes " + classNames + "); train rows overlapping test: "
                + overlapping(train, test) + "; " + counts;
    }
}

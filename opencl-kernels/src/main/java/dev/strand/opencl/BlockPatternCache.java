package dev.strand.opencl;

import dev.strand.tensor.BlockPattern;
import dev.strand.tensor.Storage;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Function;

/**
 * Block patterns and ALiBi slopes on the device, kept between calls so that a model that reuses
 * them (every layer and step of a BigBird model does) uploads each once: the {@link #CAPACITY}
 * most recently used of each, patterns by identity and slopes by value (a float[] can be changed
 * in place, so it is copied and compared). A dropped entry's buffers go back to the pool when the
 * garbage collector finds their storages unreachable, as any tensor's do.
 */
final class BlockPatternCache {
    /** Patterns, and slope vectors, kept. */
    static final int CAPACITY = 8;

    /** A pattern's CSR rows on the device, and (once a backward pass asked for it) its transpose. */
    static final class Entry {
        final BlockPattern pattern;
        final Storage rowStart, keyBlocks;
        private Storage colStart, colEntries;

        Entry(BlockPattern pattern, Storage rowStart, Storage keyBlocks) {
            this.pattern = pattern;
            this.rowStart = rowStart;
            this.keyBlocks = keyBlocks;
        }

        /** {colStart, colEntries}: for each (head, key block) the (query block, count) pairs that read it; see {@link #transpose}. */
        synchronized Storage[] columns(Function<int[], Storage> upload) {
            if (colStart == null) {
                int[][] t = transpose(pattern);
                colStart = upload.apply(t[0]);
                colEntries = upload.apply(t[1]);
            }
            return new Storage[] {colStart, colEntries};
        }
    }

    private record Slopes(float[] values, Storage storage) {}

    private final Function<int[], Storage> uploadInts;
    private final Function<float[], Storage> uploadFloats;
    private final ArrayDeque<Entry> patterns = new ArrayDeque<>();   // most recently used first
    private final ArrayDeque<Slopes> slopes = new ArrayDeque<>();

    BlockPatternCache(Function<int[], Storage> uploadInts, Function<float[], Storage> uploadFloats) {
        this.uploadInts = uploadInts;
        this.uploadFloats = uploadFloats;
    }

    /** {@code pattern}'s rows on the device, uploaded on first use. */
    synchronized Entry rows(BlockPattern pattern) {
        for (Iterator<Entry> it = patterns.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.pattern == pattern) {
                it.remove();
                patterns.addFirst(e);
                return e;
            }
        }
        int[][] csr = rowsOf(pattern);
        Entry e = new Entry(pattern, uploadInts.apply(csr[0]), uploadInts.apply(csr[1]));
        patterns.addFirst(e);
        if (patterns.size() > CAPACITY) patterns.removeLast();
        return e;
    }

    /** {@code pattern}'s transposed rows (for dk and dv), uploaded on first use. */
    Storage[] columns(BlockPattern pattern) {
        return rows(pattern).columns(uploadInts);
    }

    /** {@code values} on the device, uploaded unless the same values were recently. */
    synchronized Storage slopes(float[] values) {
        for (Iterator<Slopes> it = slopes.iterator(); it.hasNext(); ) {
            Slopes s = it.next();
            if (Arrays.equals(s.values, values)) {
                it.remove();
                slopes.addFirst(s);
                return s.storage;
            }
        }
        float[] copy = values.clone();
        Slopes s = new Slopes(copy, uploadFloats.apply(copy));
        slopes.addFirst(s);
        if (slopes.size() > CAPACITY) slopes.removeLast();
        return s.storage;
    }

    /** {rowStart [H·nb + 1], keyBlocks}: the pattern's own CSR arrays. */
    static int[][] rowsOf(BlockPattern p) {
        int rows = p.heads * p.blocks;
        int[] start = new int[rows + 1], keys = new int[p.scoreBlocks()];
        for (int h = 0; h < p.heads; h++) {
            for (int i = 0; i < p.blocks; i++) start[h * p.blocks + i + 1] = p.rowEnd(h, i);
        }
        for (int r = 0; r < keys.length; r++) keys[r] = p.keyBlock(r);
        return new int[][] {start, keys};
    }

    /**
     * The transpose of a pattern: {colStart [H·nb + 1], entries}, where column (h, j) is the pairs
     * entries[2e], entries[2e + 1] for e in colStart[h·nb + j] … colStart[h·nb + j + 1] − 1: a query
     * block i of head h that reads key block j, in increasing i, and how many times its row lists j.
     */
    static int[][] transpose(BlockPattern p) {
        int nb = p.blocks;
        int[] start = new int[p.heads * nb + 1], last = new int[nb];
        for (int h = 0; h < p.heads; h++) {
            Arrays.fill(last, -1);
            for (int i = 0; i < nb; i++) {
                for (int r = p.rowStart(h, i), end = p.rowEnd(h, i); r < end; r++) {
                    int j = p.keyBlock(r);
                    if (last[j] != i) {
                        last[j] = i;
                        start[h * nb + j + 1]++;
                    }
                }
            }
        }
        for (int c = 0; c < p.heads * nb; c++) start[c + 1] += start[c];
        int[] entries = new int[2 * start[p.heads * nb]], next = Arrays.copyOf(start, p.heads * nb);
        for (int h = 0; h < p.heads; h++) {
            Arrays.fill(last, -1);
            for (int i = 0; i < nb; i++) {
                for (int r = p.rowStart(h, i), end = p.rowEnd(h, i); r < end; r++) {
                    int j = p.keyBlock(r), col = h * nb + j;
                    if (last[j] != i) {
                        last[j] = i;
                        int e = next[col]++;
                        entries[2 * e] = i;
                        entries[2 * e + 1] = 1;
                    } else {
                        entries[2 * (next[col] - 1) + 1]++;   // column (h, j)'s last pair is row i's
                    }
                }
            }
        }
        return new int[][] {start, entries};
    }
}

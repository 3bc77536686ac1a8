package dev.strand.tensor;

import java.util.Arrays;

/**
 * Which key blocks each query block reads, per head, for {@link Tensor#blockSparseAttention}: the
 * sequence is cut into {@code blocks} blocks of {@code blockSize} positions, and row (h, i) lists
 * the key blocks query block i of head h attends to, in one softmax over all their keys. A block
 * listed twice counts twice in that softmax (Hugging Face BigBird's evaluation mode does this).
 * Stored row by row (compressed sparse rows), so its size grows with the blocks read, not with T².
 */
public final class BlockPattern {
    public final int blockSize, heads, blocks;
    private final int[] rowStart;     // [heads·blocks + 1]
    private final int[] keyBlocks;    // row (h, i) is keyBlocks[rowStart[h·blocks + i] … rowStart[h·blocks + i + 1])

    private BlockPattern(int blockSize, int heads, int blocks, int[] rowStart, int[] keyBlocks) {
        this.blockSize = blockSize;
        this.heads = heads;
        this.blocks = blocks;
        this.rowStart = rowStart;
        this.keyBlocks = keyBlocks;
    }

    /**
     * A pattern from its rows: {@code rows[h][i]} are the key blocks query block i of head h reads.
     *
     * @throws IllegalArgumentException for an empty row or a key block outside 0 … blocks−1
     */
    public static BlockPattern of(int blockSize, int[][][] rows) {
        if (blockSize < 1 || rows.length == 0 || rows[0].length == 0) throw new IllegalArgumentException("a block pattern needs a block size, heads and blocks");
        int heads = rows.length, blocks = rows[0].length;
        int[] start = new int[heads * blocks + 1];
        int n = 0;
        for (int h = 0; h < heads; h++) {
            if (rows[h].length != blocks) throw new IllegalArgumentException("head " + h + " has " + rows[h].length + " rows, head 0 has " + blocks);
            for (int i = 0; i < blocks; i++) {
                if (rows[h][i].length == 0) throw new IllegalArgumentException("query block " + i + " of head " + h + " reads no key block");
                for (int j : rows[h][i]) {
                    if (j < 0 || j >= blocks) throw new IllegalArgumentException("key block " + j + " of row (" + h + ", " + i + ") is outside 0 … " + (blocks - 1));
                }
                n += rows[h][i].length;
                start[h * blocks + i + 1] = n;
            }
        }
        int[] keys = new int[n];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < blocks; i++) System.arraycopy(rows[h][i], 0, keys, start[h * blocks + i], rows[h][i].length);
        }
        return new BlockPattern(blockSize, heads, blocks, start, keys);
    }

    /** Every query block reads every key block once: dense attention in block form. */
    public static BlockPattern full(int blockSize, int heads, int blocks) {
        int[] all = new int[blocks];
        Arrays.setAll(all, j -> j);
        int[][][] rows = new int[heads][blocks][];
        for (int[][] head : rows) Arrays.fill(head, all);
        return of(blockSize, rows);
    }

    /** Sequence length the pattern covers: blocks · blockSize. */
    public int length() {
        return blocks * blockSize;
    }

    /** The key blocks of row (h, i), a copy. */
    public int[] keys(int h, int i) {
        return Arrays.copyOfRange(keyBlocks, rowStart[h * blocks + i], rowStart[h * blocks + i + 1]);
    }

    /** Start of row (h, i) among all rows' key blocks ({@link #keyBlock}). */
    public int rowStart(int h, int i) {
        return rowStart[h * blocks + i];
    }

    /** Entry {@code r} of all rows' key blocks, concatenated: row (h, i) is entries rowStart(h, i) … rowEnd(h, i) − 1. */
    public int keyBlock(int r) {
        return keyBlocks[r];
    }

    /** Key blocks read over all rows: the score blocks of size blockSize² computed per batch row. */
    public int scoreBlocks() {
        return keyBlocks.length;
    }

    /** How many times query block i of head h reads key block j (0 where it does not): [H][nb][nb], for tests and maps. */
    public int[][][] multiplicity() {
        int[][][] m = new int[heads][blocks][blocks];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < blocks; i++) {
                for (int r = rowStart(h, i), end = rowEnd(h, i); r < end; r++) m[h][i][keyBlocks[r]]++;
            }
        }
        return m;
    }

    /** End (exclusive) of row (h, i) among all rows' key blocks. */
    public int rowEnd(int h, int i) {
        return rowStart[h * blocks + i + 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockPattern p && p.blockSize == blockSize && p.heads == heads && p.blocks == blocks
                && Arrays.equals(p.rowStart, rowStart) && Arrays.equals(p.keyBlocks, keyBlocks);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keyBlocks) * 31 + blocks;
    }

    @Override
    public String toString() {
        return "BlockPattern[block " + blockSize + ", " + heads + " heads × " + blocks + " blocks, " + scoreBlocks() + " score blocks of " + heads * blocks * blocks + "]";
    }
}

package dev.strand.nn.attention;

import dev.strand.tensor.BlockPattern;
import dev.strand.tensor.Generator;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which key blocks each query block of each head reads in BigBird attention (Zaheer et al. 2020),
 * the sequence cut into blocks of {@code blockSize} tokens: global blocks, a sliding window of
 * {@code window} blocks and {@code random} random blocks per row. Two layouts, as the references
 * build them (SPECS §4, REFERENCES §1):
 * <ul>
 *   <li>{@link Kind#GENA}, DeepSpeed's, which GENA-LM's sparse models use: blocks 0 … g−1 global
 *       (their rows read everything, every row reads them), the window clipped at the edges, and
 *       per head and row r random blocks drawn from the whole row, so they may fall on window or
 *       global blocks. Drawn once for the longest input and then fixed: the table is saved with
 *       the model ({@link #randomTable}) and a shorter input reads its top-left corner.</li>
 *   <li>{@link Kind#ITC}, Hugging Face's and Google's: the first and last block global, a window
 *       of 3; the random blocks avoid the window and the globals and are drawn with numpy's
 *       generator seeded with the layer index, as Hugging Face draws them ({@link ItcRandomBlocks}),
 *       so a layout depends only on layer and length. Where Hugging Face falls back to full
 *       attention, at T ≤ (5 + 2r)·b, so does this layout (per call, not for good). In evaluation
 *       Hugging Face sets every random block to block 0 ({@link ItcEval#BLOCK_ZERO}); the other
 *       choice keeps training's random blocks ({@link ItcEval#RANDOM}).</li>
 * </ul>
 */
public final class BigBirdLayout {
    /** Which reference layout. */
    public enum Kind { GENA, ITC }

    /** What an ITC layout's random blocks are in evaluation mode. */
    public enum ItcEval {
        /** Hugging Face's current behaviour: every random block is block 0, which rows then read 1 + r times. */
        BLOCK_ZERO,
        /** The random blocks of training (Google's code, and Hugging Face before v4.29). */
        RANDOM
    }

    public final Kind kind;
    public final int blockSize, window, globals, random, heads;
    private final int[][][] fixedRandom;     // GENA: [H][blocks][r], drawn once
    private final int layer, maxLength;      // ITC: the seed, and the length of Hugging Face's "old plans"
    private final ItcEval itcEval;
    private final Map<Long, BlockPattern> patterns = new HashMap<>();

    private BigBirdLayout(Kind kind, int blockSize, int window, int globals, int random, int heads, int[][][] fixedRandom,
                          int layer, int maxLength, ItcEval itcEval) {
        checkSettings(blockSize, window, globals, random);
        if (heads < 1) throw new IllegalArgumentException("a BigBird layout needs at least one head, got " + heads);
        this.kind = kind;
        this.blockSize = blockSize;
        this.window = window;
        this.globals = globals;
        this.random = random;
        this.heads = heads;
        this.fixedRandom = fixedRandom;
        this.layer = layer;
        this.maxLength = maxLength;
        this.itcEval = itcEval;
    }

    /** Throws unless block ≥ 1, the window is odd and ≥ 1, and globals and random blocks are ≥ 0. */
    static void checkSettings(int block, int window, int globals, int random) {
        if (block < 1 || window < 1 || window % 2 == 0 || globals < 0 || random < 0) {
            throw new IllegalArgumentException("BigBird needs block ≥ 1, an odd window ≥ 1, global ≥ 0 and random ≥ 0; got block " + block
                    + ", window " + window + ", global " + globals + ", random " + random);
        }
    }

    /**
     * GENA-LM's (DeepSpeed's) layout for inputs of up to {@code maxBlocks} blocks, its random blocks
     * drawn now from {@code gen}: for each head and row, {@code random} distinct blocks of the row.
     */
    public static BigBirdLayout gena(int blockSize, int window, int globals, int random, int heads, int maxBlocks, Generator gen) {
        if (random > maxBlocks) throw new IllegalArgumentException(random + " random blocks per row need at least as many blocks, got " + maxBlocks);
        int[][][] table = new int[heads][maxBlocks][];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < maxBlocks; i++) table[h][i] = sample(maxBlocks, random, gen);
        }
        return gena(blockSize, window, globals, heads, table);
    }

    /** GENA-LM's layout with a random table [H][blocks][r] already drawn (read from a checkpoint). */
    public static BigBirdLayout gena(int blockSize, int window, int globals, int heads, int[][][] table) {
        if (table.length != heads) throw new IllegalArgumentException("a random-block table for " + table.length + " heads, the layer has " + heads);
        int r = table[0].length == 0 ? 0 : table[0][0].length;
        for (int[][] head : table) {
            for (int[] row : head) {
                for (int j : row) {
                    if (j < 0 || j >= head.length) throw new IllegalArgumentException("random block " + j + " outside 0 … " + (head.length - 1));
                }
            }
        }
        return new BigBirdLayout(Kind.GENA, blockSize, window, globals, r, heads, table, 0, 0, null);
    }

    /**
     * Hugging Face's ITC layout (2 global blocks, a window of 3) for the attention of layer
     * {@code layer} of a model whose position table holds {@code maxLength} tokens.
     */
    public static BigBirdLayout itc(int blockSize, int random, int heads, int layer, int maxLength, ItcEval eval) {
        return new BigBirdLayout(Kind.ITC, blockSize, 3, 2, random, heads, null, layer, maxLength, eval);
    }

    /** {@code count} distinct numbers of 0 … n−1 in draw order (Python's random.sample). */
    private static int[] sample(int n, int count, Generator gen) {
        int[] pool = new int[n];
        Arrays.setAll(pool, i -> i);
        for (int i = 0; i < count; i++) {
            int j = i + gen.nextInt(n - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        return Arrays.copyOf(pool, count);
    }

    /** The drawn random blocks [H][blocks][r] of a GENA layout, to save with the model; null for ITC, which redraws them. */
    public int[][][] randomTable() {
        return fixedRandom;
    }

    /** The most blocks an input may have: a GENA layout's table size; unlimited for ITC. */
    public int maxBlocks() {
        return fixedRandom == null ? Integer.MAX_VALUE : fixedRandom[0].length;
    }

    /**
     * The pattern for an input of {@code blocks} blocks, in training or evaluation mode.
     *
     * @throws IllegalArgumentException if a GENA layout was drawn for fewer blocks
     */
    public synchronized BlockPattern pattern(int blocks, boolean training) {
        if (blocks > maxBlocks()) {
            throw new IllegalArgumentException("this BigBird layout was drawn for inputs of up to " + maxBlocks() + " blocks of " + blockSize
                    + " tokens, got " + blocks + " blocks");
        }
        boolean randomNow = kind == Kind.GENA || training || itcEval == ItcEval.RANDOM;
        return patterns.computeIfAbsent(blocks * 2L + (randomNow ? 1 : 0), key -> kind == Kind.GENA ? genaPattern(blocks) : itcPattern(blocks, randomNow));
    }

    private BlockPattern genaPattern(int nb) {
        int radius = window / 2;
        int[][][] rows = new int[heads][nb][];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < nb; i++) {
                TreeSet<Integer> keys = new TreeSet<>();
                if (i < globals) {
                    for (int j = 0; j < nb; j++) keys.add(j);
                } else {
                    for (int j = 0; j < Math.min(globals, nb); j++) keys.add(j);
                    for (int j = Math.max(0, i - radius); j <= Math.min(nb - 1, i + radius); j++) keys.add(j);
                    for (int j : fixedRandom[h][i]) if (j < nb) keys.add(j);    // a shorter input drops random blocks past its end
                }
                rows[h][i] = keys.stream().mapToInt(Integer::intValue).toArray();
            }
        }
        return BlockPattern.of(blockSize, rows);
    }

    private BlockPattern itcPattern(int nb, boolean randomNow) {
        if (nb * blockSize <= (5 + 2 * random) * blockSize) return BlockPattern.full(blockSize, heads, nb);   // Hugging Face's full-attention fallback
        int[][][] rand = randomNow ? ItcRandomBlocks.draw(nb, blockSize, random, heads, layer, maxLength) : new int[heads][nb - 2][random];
        return itcRows(blockSize, nb, rand);
    }

    /**
     * Hugging Face's rows for random blocks {@code rand} [H][nb − 2][r], in its order: blocks 0 and
     * nb−1 read everything; block 1 reads 0, 1, 2, nb−1 and its random blocks; block nb−2 reads 0,
     * nb−3, nb−2, nb−1 and its random blocks; a middle block i reads 0, i−1, i, i+1, its random
     * blocks and nb−1.
     */
    static BlockPattern itcRows(int blockSize, int nb, int[][][] rand) {
        int heads = rand.length, last = nb - 1;
        int[] all = new int[nb];
        Arrays.setAll(all, j -> j);
        int[][][] rows = new int[heads][nb][];
        for (int h = 0; h < heads; h++) {
            rows[h][0] = all;
            rows[h][last] = all;
            rows[h][1] = ItcRandomBlocks.concat(new int[] {0, 1, 2, last}, rand[h][0]);
            rows[h][last - 1] = ItcRandomBlocks.concat(new int[] {0, last - 2, last - 1, last}, rand[h][last - 2]);
            for (int i = 2; i < last - 1; i++) {
                rows[h][i] = ItcRandomBlocks.concat(ItcRandomBlocks.concat(new int[] {0, i - 1, i, i + 1}, rand[h][i - 1]), new int[] {last});
            }
        }
        return BlockPattern.of(blockSize, rows);
    }

    /** One line for {@code strand info}: kind, block, window, globals, random, and the blocks read against dense's at a length. */
    public String describe(int tokens) {
        int nb = (tokens + blockSize - 1) / blockSize;
        BlockPattern p = pattern(Math.min(nb, maxBlocks()), false);
        return String.format(java.util.Locale.ROOT, "BigBird %s layout: blocks of %d, window %d, %d global, %d random; at %d tokens %d of %d score blocks (%.1f %%)",
                kind.name().toLowerCase(java.util.Locale.ROOT), blockSize, window, globals, random, p.length(), p.scoreBlocks(),
                heads * p.blocks * p.blocks, 100.0 * p.scoreBlocks() / (heads * (double) p.blocks * p.blocks));
    }
}

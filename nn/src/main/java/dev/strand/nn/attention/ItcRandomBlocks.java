package dev.strand.nn.attention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The random blocks of Hugging Face BigBird's ITC layout in training, drawn as its
 * {@code modeling_big_bird.py} draws them: numpy's generator reseeded with the layer index on
 * every call ({@link NumpyRandom}), heads one after another, and one of two planners. For inputs
 * of 1,024, 3,072 or 4,096 tokens, the "old plan" of the paper ({@code _bigbird_block_rand_mask}),
 * computed for the model's longest input with random blocks among the first 1,024 tokens and cut
 * to the input's rows; otherwise the plan of {@code _get_rand_attn_plan} filled by
 * {@code _bigbird_block_rand_mask_with_head}, whose rows past the first 2r + 5 blocks take their
 * random blocks from those first blocks. Where the reference's numpy slicing would fail (too few
 * legal blocks) this fails too, with the reason. Table: [H][nb − 2][r], row i − 1 for query block i.
 */
final class ItcRandomBlocks {
    private static final int[] OLD_PLAN_LENGTHS = {1024, 3072, 4096};

    private ItcRandomBlocks() {}

    static int[][][] draw(int nb, int blockSize, int r, int heads, int layer, int maxLength) {
        NumpyRandom rng = new NumpyRandom(layer);
        int length = nb * blockSize;
        int[][][] out = new int[heads][][];
        if (Arrays.stream(OLD_PLAN_LENGTHS).anyMatch(l -> l == length)) {
            // Hugging Face draws the grid of its longest input; an input past a model's trained length draws its own.
            int gridBlocks = Math.max(maxLength, length) / blockSize;
            for (int h = 0; h < heads; h++) out[h] = Arrays.copyOf(oldPlan(gridBlocks, blockSize, r, 1024, rng), nb - 2);
            return out;
        }
        return withHead(nb, r, heads, rng);
    }

    /** {@code _bigbird_block_rand_mask}: rows 1 … n−2 of an n-block input, random blocks below {@code lastIdx} tokens. */
    private static int[][] oldPlan(int n, int blockSize, int r, int lastIdx, NumpyRandom rng) {
        int[][] rand = new int[n - 2][];
        int[] middle = new int[n - 2];                       // blocks 1 … n−2
        Arrays.setAll(middle, i -> i + 1);
        int last = lastIdx > 2 * blockSize ? lastIdx / blockSize - 1 : n - 1;
        for (int i = 1; i < n - 1; i++) {
            int start = i - 2, end = i;
            int[] candidates;
            if (i == 1) candidates = slice(middle, 2, last);
            else if (i == 2) candidates = slice(middle, 3, last);
            else if (i == n - 3 || i == n - 2) candidates = slice(middle, 0, last);
            else if (start > last) candidates = slice(middle, 0, last);
            else if (end + 1 == last) candidates = slice(middle, 0, start);
            else candidates = concat(slice(middle, 0, start), slice(middle, end + 1, last));
            rand[i - 1] = first(rng.permutation(candidates), r, i);
        }
        return rand;
    }

    /** {@code _get_rand_attn_plan} then {@code _bigbird_block_rand_mask_with_head}, one global block at each end, a window of 1 each side. */
    private static int[][][] withHead(int nb, int r, int heads, NumpyRandom rng) {
        List<Integer> planBlocks = new ArrayList<>(), planRandom = new ArrayList<>();
        if (2 * r + 5 < nb) {
            planBlocks.addAll(List.of(2 * r + 5, nb));
            planRandom.addAll(List.of(r, 0));
        } else if (r + 5 < nb) {
            planBlocks.addAll(List.of(r + 5, nb));
            planRandom.addAll(List.of(r / 2, r - r / 2));
        } else {
            planBlocks.add(nb);
            planRandom.add(r);
        }
        int plans = planBlocks.size();
        int[][][] rand = new int[heads][nb][r];
        for (int plan = 0; plan < plans; plan++) {
            if (plan > 0) {
                if (planRandom.get(plan) > 0) {
                    int from = sum(planRandom, plan), to = sum(planRandom, plan + 1);
                    for (int row = 1; row < planBlocks.get(plan - 1); row++) {
                        for (int h = 0; h < heads; h++) {
                            put(rand[h][row], from, to, singleRow(row, planBlocks.get(plan - 1), planBlocks.get(plan), planRandom.get(plan), rng));
                        }
                    }
                }
                for (int earlier = 0; earlier < plan; earlier++) {
                    if (planRandom.get(earlier) == 0) continue;
                    for (int row = planBlocks.get(plan - 1); row < planBlocks.get(plan); row++) {
                        int from = earlier > 0 ? sum(planRandom, earlier) : 0, toStart = earlier > 0 ? planBlocks.get(earlier - 1) : 0;
                        int to = sum(planRandom, earlier + 1);
                        for (int h = 0; h < heads; h++) {
                            put(rand[h][row], from, to, singleRow(row, toStart, planBlocks.get(earlier), planRandom.get(earlier), rng));
                        }
                    }
                }
            }
            if (planRandom.get(plan) == 0) continue;
            int to = sum(planRandom, plan + 1);
            int from = plan > 0 ? sum(planRandom, plan) : 0;
            int fromRow = plan > 0 ? planBlocks.get(plan - 1) : 1, toStart = plan > 0 ? planBlocks.get(plan - 1) : 0;
            for (int row = fromRow; row < planBlocks.get(plan); row++) {
                for (int h = 0; h < heads; h++) put(rand[h][row], from, to, singleRow(row, toStart, planBlocks.get(plan), planRandom.get(plan), rng));
            }
        }
        int[][][] out = new int[heads][][];
        for (int h = 0; h < heads; h++) out[h] = Arrays.copyOfRange(rand[h], 1, nb - 1);
        return out;
    }

    /**
     * {@code _get_single_block_row_attention}: a permutation of blocks toStart … toEnd−1, keeping
     * in order those outside row's window, the first block, the plan's last block and (for row 1)
     * the plan's second-to-last block or (for the plan's second-to-last row) block 1, up to count.
     */
    private static int[] singleRow(int row, int toStart, int toEnd, int count, NumpyRandom rng) {
        int[] blocks = new int[toEnd - toStart];
        Arrays.setAll(blocks, i -> toStart + i);
        int[] perm = rng.permutation(blocks);
        List<Integer> illegal = new ArrayList<>(List.of(row - 1, row, row + 1, 0, toEnd - 1));
        if (row == 1) illegal.add(toEnd - 2);
        if (row == toEnd - 2) illegal.add(1);
        int[] chosen = new int[count];
        int n = 0;
        for (int i = 0; i < perm.length && n < count; i++) if (!illegal.contains(perm[i])) chosen[n++] = perm[i];
        if (n < count) {
            throw new IllegalStateException("row " + row + " of Hugging Face's BigBird plan has " + n + " legal random blocks among blocks " + toStart + " … "
                    + (toEnd - 1) + ", not " + count + " (the reference fails here as well)");
        }
        return chosen;
    }

    private static void put(int[] row, int from, int to, int[] values) {
        System.arraycopy(values, 0, row, from, to - from);
    }

    private static int sum(List<Integer> values, int upTo) {
        int s = 0;
        for (int i = 0; i < upTo; i++) s += values.get(i);
        return s;
    }

    /** numpy's a[from:to], empty when to ≤ from. */
    private static int[] slice(int[] a, int from, int to) {
        int f = Math.max(0, Math.min(from, a.length)), t = Math.max(f, Math.min(to, a.length));
        return Arrays.copyOfRange(a, f, t);
    }

    /** a followed by b. */
    static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The first r of a permutation; numpy's assignment of fewer fails, and so does this. */
    private static int[] first(int[] perm, int r, int row) {
        if (perm.length < r) throw new IllegalStateException("row " + row + " of Hugging Face's old BigBird plan has " + perm.length + " candidate blocks, not " + r);
        return Arrays.copyOf(perm, r);
    }
}

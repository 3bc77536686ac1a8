package dev.strand.genomics.tasks;

import dev.strand.genomics.io.Genome;
import dev.strand.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Background ("non-promoter") windows of {@code length} bases: wholly inside one block, only A/C/G/T,
 * every base more than {@code minTssDistance} from every TSS, not overlapping each other, each
 * reverse-complemented with probability 0.5 so strand carries no signal. Two ways to draw them
 * ({@link PromoterTask.Background}): {@link #random} places windows at uniform random starts and
 * rejects the bad ones (the 300-bp task's way); {@link #tiled} cuts the free DNA of the blocks into
 * disjoint windows and picks among them, so it finds windows wherever they fit at all (random
 * placement jams well before long windows fill gene-dense blocks).
 */
final class BackgroundWindows {
    private final Genome genome;
    private final Map<String, int[]> tss;
    private final int length, minTssDistance;
    private final Generator gen;
    private final Map<String, TreeSet<Integer>> taken = new HashMap<>();

    /** {@code tss}: sorted TSS positions per contig. */
    BackgroundWindows(Genome genome, Map<String, int[]> tss, int length, int minTssDistance, Generator gen) {
        this.genome = genome;
        this.tss = tss;
        this.length = length;
        this.minTssDistance = minTssDistance;
        this.gen = gen;
    }

    List<TaskRow> draw(PromoterTask.Background how, List<BlockSplit.Block> blocks, int want) {
        return how == PromoterTask.Background.TILED ? tiled(blocks, want) : random(blocks, want);
    }

    /** {@code want} windows at uniform random starts in {@code blocks}, bad ones rejected; an error if they cannot be found. */
    List<TaskRow> random(List<BlockSplit.Block> blocks, int want) {
        int len = length;
        List<TaskRow> out = new ArrayList<>(want);
        if (want == 0) return out;
        long[] cum = new long[blocks.size()];
        long total = 0;
        for (int i = 0; i < blocks.size(); i++) {
            total += Math.max(0, blocks.get(i).end() - blocks.get(i).start() - len + 1);
            cum[i] = total;
        }
        if (total == 0) throw new IllegalStateException(genome.source() + ": no room for background windows of " + len);
        long maxAttempts = 1000L * want + 100_000;
        for (long attempt = 0; out.size() < want; attempt++) {
            if (attempt >= maxAttempts) {
                throw new IllegalStateException(genome.source() + ": found only " + out.size() + " of " + want + " background windows of " + len
                        + " bases farther than " + minTssDistance + " from any TSS in " + maxAttempts + " attempts");
            }
            long pick = SequenceUtil.nextLong(gen, total);
            boolean reverse = gen.nextFloat() < 0.5f;
            int bi = 0;
            while (cum[bi] <= pick) bi++;
            BlockSplit.Block b = blocks.get(bi);
            int s = b.start() + (int) (pick - (bi == 0 ? 0 : cum[bi - 1]));
            int[] t = tss.get(b.contig());
            if (t != null) {
                int k = TaskData.lowerBound(t, s - minTssDistance);
                if (k < t.length && t[k] <= s + len - 1 + minTssDistance) continue;
            }
            TreeSet<Integer> used = taken.computeIfAbsent(b.contig(), k -> new TreeSet<>());
            if (!used.subSet(s - len + 1, true, s + len - 1, true).isEmpty()) continue;
            String bases = SequenceUtil.upper(genome.fetch(b.contig(), s, s + len));
            if (!SequenceUtil.allAcgt(bases)) continue;
            used.add(s);
            out.add(row(bases, b.contig(), s, reverse));
        }
        return out;
    }

    /**
     * {@code want} windows (all there are, if fewer) picked uniformly without replacement from a tiling
     * of {@code blocks}: each maximal run of F free bases (A/C/G/T, farther than minTssDistance from
     * any TSS) holds ⌊F / length⌋ adjacent windows, shifted by a random offset within the run's slack.
     */
    List<TaskRow> tiled(List<BlockSplit.Block> blocks, int want) {
        List<String> contigs = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        for (BlockSplit.Block b : blocks) {
            boolean[] free = freeBases(b);
            for (int i = 0; i < free.length; ) {
                if (!free[i]) {
                    i++;
                    continue;
                }
                int j = i;
                while (j < free.length && free[j]) j++;
                int fit = (j - i) / length;
                if (fit > 0) {
                    int offset = (int) SequenceUtil.nextLong(gen, j - i - (long) fit * length + 1);
                    for (int k = 0; k < fit; k++) {
                        contigs.add(b.contig());
                        starts.add(b.start() + i + offset + k * length);
                    }
                }
                i = j;
            }
        }
        int n = Math.min(want, starts.size());
        int[] perm = SequenceUtil.permutation(starts.size(), gen);
        List<TaskRow> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String c = contigs.get(perm[i]);
            int s = starts.get(perm[i]);
            out.add(row(SequenceUtil.upper(genome.fetch(c, s, s + length)), c, s, gen.nextFloat() < 0.5f));
        }
        return out;
    }

    /** Per base of {@code b}: A/C/G/T and farther than minTssDistance from every TSS of its contig. */
    private boolean[] freeBases(BlockSplit.Block b) {
        String bases = SequenceUtil.upper(genome.fetch(b.contig(), b.start(), b.end()));
        boolean[] free = new boolean[bases.length()];
        for (int i = 0; i < free.length; i++) {
            char c = bases.charAt(i);
            free[i] = c == 'A' || c == 'C' || c == 'G' || c == 'T';
        }
        int[] t = tss.getOrDefault(b.contig(), new int[0]);
        for (int k = TaskData.lowerBound(t, b.start() - minTssDistance); k < t.length && t[k] - minTssDistance < b.end(); k++) {
            int from = Math.max(b.start(), t[k] - minTssDistance), to = Math.min(b.end(), t[k] + minTssDistance + 1);
            Arrays.fill(free, from - b.start(), Math.max(from, to) - b.start(), false);
        }
        return free;
    }

    private static TaskRow row(String bases, String contig, int s, boolean reverse) {
        return new TaskRow(reverse ? SequenceUtil.reverseComplement(bases) : bases, PromoterTask.NEGATIVE, contig, s, s + bases.length(),
                reverse ? '-' : '+', "background");
    }
}

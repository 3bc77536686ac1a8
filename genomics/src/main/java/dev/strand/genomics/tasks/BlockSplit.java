package dev.strand.genomics.tasks;

import dev.strand.genomics.io.Genome;
import dev.strand.tensor.Generator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A positional split: each contig cut into blocks of {@code blockSize} bases (the last one shorter),
 * a seeded permutation of all blocks putting the first {@code round(testFraction · blocks)} (at least
 * one) in test, the next {@code round(devFraction · blocks)} (at least one where devFraction &gt; 0)
 * in dev, the rest in train. With devFraction 0 the test blocks are those of the same seed with any
 * devFraction, so tasks with and without a dev split share their test regions.
 */
final class BlockSplit {
    enum Part { TRAIN, DEV, TEST }

    record Block(String contig, int start, int end) {}

    private final Genome genome;
    private final int blockSize;
    private final Map<Block, Part> parts = new HashMap<>();
    private final List<Block> blocks = new ArrayList<>();
    private final int test, dev;

    /** Draws the split (one permutation from {@code gen}). */
    BlockSplit(Genome genome, int blockSize, double testFraction, double devFraction, Generator gen) {
        this.genome = genome;
        this.blockSize = blockSize;
        for (String c : genome.contigs()) {
            int l = genome.length(c);
            for (int s = 0; s < l; s += blockSize) blocks.add(new Block(c, s, Math.min(l, s + blockSize)));
        }
        int[] perm = SequenceUtil.permutation(blocks.size(), gen);
        test = Math.max(1, (int) Math.round(testFraction * blocks.size()));
        dev = devFraction > 0 ? Math.max(1, (int) Math.round(devFraction * blocks.size())) : 0;
        if (test + dev >= blocks.size()) {
            throw new IllegalArgumentException(genome.source() + " has " + blocks.size() + " blocks of " + blockSize + ": too few for a split");
        }
        for (int i = 0; i < blocks.size(); i++) parts.put(blocks.get(perm[i]), i < test ? Part.TEST : i < test + dev ? Part.DEV : Part.TRAIN);
    }

    int blockCount() {
        return blocks.size();
    }

    int blockCount(Part p) {
        return p == Part.TEST ? test : p == Part.DEV ? dev : blocks.size() - test - dev;
    }

    /** The blocks of {@code p}, in genome order. */
    List<Block> blocks(Part p) {
        return blocks.stream().filter(b -> parts.get(b) == p).toList();
    }

    /** The part of the block holding base {@code pos} of {@code contig}. */
    Part partOf(String contig, int pos) {
        int s = pos / blockSize * blockSize;
        return parts.get(new Block(contig, s, Math.min(genome.length(contig), s + blockSize)));
    }
}

package dev.strand.nn.train;

import dev.strand.tensor.Generator;
import java.io.Serializable;

/**
 * Training data drawn where it is used. A global batch is {@link #shards()} shards, and shard
 * {@code s} of a step is a pure function of the step's number and {@code s}: a data-parallel replica
 * draws its own shards, reading its own part of the data on the machine it runs on, while a
 * single process draws them all; both get the same rows. Serialisable, so it travels to replicas.
 */
public interface ShardedData extends Serializable {
    /** Shards in every global batch. */
    int shards();

    /** Seeds the draws, and the dropout masks of each shard's pass ({@link #dropoutSeed}). */
    long seed();

    /** Throws unless {@code from} … {@code to − 1} are some of this data's shards. */
    default void checkShards(int from, int to) {
        if (from < 0 || to > shards() || from >= to) throw new IllegalArgumentException("no shards [" + from + ", " + to + ") of " + shards());
    }

    /** Where part {@code i} of {@code total} items cut into {@code parts} near-equal consecutive parts begins (part {@code parts}: the end). */
    static int split(int total, int parts, int i) {
        return (int) ((long) total * i / parts);
    }

    /** The seed of the dropout masks of shard {@code shard}'s forward pass at draw {@code step}. */
    default long dropoutSeed(long step, int shard) {
        return Generator.mix(Generator.mix(Generator.mix(seed(), step), shard), 0xD209L);
    }

    /** Shards {@code from} … {@code to − 1} of draw number {@code step} (from 0), their rows in shard order, as one batch. */
    Batch draw(long step, int from, int to);
}

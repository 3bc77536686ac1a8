package dev.strand.nn.train;

import dev.strand.tensor.Generator;

/**
 * The steps of a {@link ShardedData}, numbered by a generator's counter, so that a checkpoint of
 * the generator resumes them: what an objective over sharded data hands out as its
 * {@link ShardedObjective#nextDraw} and, drawn whole, its {@link ShardedObjective#nextBatch}.
 */
public record ShardedDraws(ShardedData data, Generator steps) {
    /** The next step's draw. */
    public ShardedObjective.Draw next() {
        return new ShardedObjective.Draw(data, steps.advance(1));
    }

    /** Every shard of the next step, as one batch. */
    public Batch nextWhole() {
        return next().shards(0, data.shards());
    }
}

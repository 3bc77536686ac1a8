package dev.strand.spark;

import dev.strand.nn.train.Batch;
import dev.strand.nn.train.ShardedData;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;

/** What one task of a step trains on: rows the driver drew and shipped, or data shards the task draws itself. */
sealed interface TaskRows extends Serializable permits Rows, TaskRows.Drawn {
    /** The task's parts, each its own forward and backward pass. */
    List<Batch> parts();

    /** The seed of part {@code i}'s dropout masks, or null for the replica's own generators. */
    Long dropoutSeed(int i);

    /**
     * Shards {@code from} … {@code to − 1} of draw {@code step}, drawn (and their DNA read) by the
     * task, one part each; the data itself travels once per run, as a broadcast.
     */
    record Drawn(Broadcast<ShardedData> data, long step, int from, int to) implements TaskRows {
        @Override
        public List<Batch> parts() {
            List<Batch> parts = new ArrayList<>(to - from);
            for (int s = from; s < to; s++) parts.add(data.value().draw(step, s, s + 1));
            return parts;
        }

        @Override
        public Long dropoutSeed(int i) {
            return data.value().dropoutSeed(step, from + i);
        }
    }
}

package dev.strand.spark;

import dev.strand.nn.train.Batch;
import java.util.List;

/** Rows of a batch the driver drew, shipped to the task that trains on them as one part. */
record Rows(NamedArrays tensors) implements TaskRows {
    static Rows of(Batch batch) {
        return new Rows(NamedArrays.of(batch.tensors()));
    }

    @Override
    public List<Batch> parts() {
        return List.of(new Batch(tensors.tensors()));
    }

    /** None: the replica's own dropout generators (so with dropout such a run is not a single process's). */
    @Override
    public Long dropoutSeed(int i) {
        return null;
    }
}

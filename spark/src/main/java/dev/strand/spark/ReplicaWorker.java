package dev.strand.spark;

import dev.strand.nn.Module;
import dev.strand.nn.train.Batch;
import dev.strand.nn.train.PartGradients;
import dev.strand.nn.train.ShardedObjective;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The task side of a data-parallel step: the replica of this partition (built once per executor
 * and kept), the driver's weights and buffers copied into it, one forward and backward pass per part of its
 * rows.
 * A task holds no state a retry could miss: the weights come with every step, so a task that is
 * lost and run again computes the same gradients.
 */
final class ReplicaWorker {
    private ReplicaWorker() {}

    /** Replicas by run and partition; a few runs' worth, the oldest dropped first. */
    private static final Map<String, Module> REPLICAS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Module> eldest) {
            return size() > 16;
        }
    };

    static ShardResult run(String run, int partition, ShardedObjective.Replica replica, NamedArrays state, TaskRows shard) {
        long start = System.nanoTime();
        Module model;
        synchronized (REPLICAS) {
            model = REPLICAS.computeIfAbsent(run + "#" + partition, k -> replica.build());
        }
        Map<String, Tensor> sent = state.tensors(), own = model.stateDict();
        if (!sent.keySet().equals(own.keySet())) {
            throw new IllegalStateException("a replica with tensors " + own.keySet() + " was sent " + sent.keySet());
        }
        own.forEach((name, t) -> t.copyFrom(sent.get(name)));
        model.train(true);
        List<Batch> rows = shard.parts();
        List<PartGradients> parts = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) parts.add(PartGradients.of(replica, model, rows.get(i), shard.dropoutSeed(i)));
        return new ShardResult(parts, (System.nanoTime() - start) / 1e9);
    }
}

package dev.strand.spark;

import dev.strand.nn.train.Batch;
import dev.strand.nn.train.GradientSource;
import dev.strand.nn.train.GradientSum;
import dev.strand.nn.train.ShardedData;
import dev.strand.nn.train.ShardedObjective;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data parallelism on Spark: each step, the current weights and buffers are broadcast
 * and one job runs one task per replica ({@link ReplicaWorker}) on that replica's part of the
 * global batch. The part comes one of two ways. When the objective's data is sharded ({@link
 * ShardedObjective#nextDraw}), the driver only numbers the step, and each task draws its own data
 * shards (the data itself is broadcast once per run), reading their DNA where it runs. Otherwise
 * the driver draws the global batch (so the data, masks and their order are exactly a
 * single-process run's) and ships each task a contiguous run of its rows. The tasks' parts (summed
 * losses, their gradients, batch-norm statistics) come back in partition order and are added in
 * that order, then divided by the total weight (masked tokens, rows), by {@link GradientSum}. Every
 * run with the same seeds gives the same update; with data shards it is bit for bit the update of
 * one process drawing every shard ({@link GradientSource#inParts}), and with a shipped batch the
 * single-process one up to the order of float additions. The {@link
 * dev.strand.nn.train.TrainingLoop} does the rest: schedule, clipping, the optimizer, evaluation,
 * checkpoints.
 *
 * <p>Why a job per step rather than a long barrier stage with an all-reduce between tasks: a task
 * here is a pure function of (weights, step, shards), so Spark's own retry of a lost task or executor
 * recomputes exactly what was lost, with no checkpoint reload and no state to rebuild; and the
 * driver's fixed-order sum makes runs deterministic. The price is the weights broadcast and the
 * gradients collected every step through the driver (2·P·replicas floats), which the Spark
 * benchmark measures.
 */
public final class SparkGradients implements GradientSource {
    private final JavaSparkContext spark;
    private final ShardedObjective objective;
    private final int replicas;
    private final String run = UUID.randomUUID().toString();
    private Timing last;
    private ShardedData sentData;                 // the objective's data shards, sent once as a broadcast
    private Broadcast<ShardedData> dataBroadcast;

    /**
     * Where a step's time went: the whole step on the driver, and its slowest task's own work
     * (forward and backward); the difference is the exchange (broadcast, scheduling, collect, sum).
     */
    public record Timing(double stepSeconds, double slowestTaskSeconds) {}

    /** The last step's timing, or null before the first. */
    public Timing lastTiming() {
        return last;
    }

    /**
     * @param replicas model replicas, one Spark task each; every global batch must hold at least
     *                 this many rows
     */
    public SparkGradients(JavaSparkContext spark, ShardedObjective objective, int replicas) {
        if (replicas < 1) throw new IllegalArgumentException("data parallelism needs at least one replica, got " + replicas);
        this.spark = spark;
        this.objective = objective;
        this.replicas = replicas;
    }

    @Override
    public Step compute() {
        long start = System.nanoTime();
        List<TaskRows> shards = shards(objective.nextDraw());
        Broadcast<NamedArrays> sent = spark.broadcast(NamedArrays.of(objective.model().stateDict()));   // weights and buffers (a BigBird layout)
        ShardedObjective.Replica replica = objective.replica();
        String runId = run;
        List<ShardResult> results;
        try {
            results = spark.parallelize(shards, replicas)
                    .mapPartitionsWithIndex((partition, it) -> {
                        List<ShardResult> out = new ArrayList<>(1);
                        while (it.hasNext()) out.add(ReplicaWorker.run(runId, partition, replica, sent.value(), it.next()));
                        return out.iterator();
                    }, true)
                    .collect();                                                  // in partition order
        } finally {
            sent.destroy();
        }
        GradientSum sum = new GradientSum();
        double slowest = 0;
        for (ShardResult r : results) {                                          // a fixed order: the same sums every run
            slowest = Math.max(slowest, r.seconds());
            r.parts().forEach(sum::add);
        }
        Step step = sum.applyTo(objective.model());
        last = new Timing((System.nanoTime() - start) / 1e9, slowest);
        return step;
    }

    /**
     * One task's rows per replica: consecutive data shards of the step's draw, which the tasks draw
     * themselves; or, when the objective draws its batches here ({@code draw} null), the global
     * batch cut into consecutive runs of rows.
     */
    private List<TaskRows> shards(ShardedObjective.Draw draw) {
        List<TaskRows> shards = new ArrayList<>(replicas);
        if (draw != null) {
            int count = draw.data().shards();
            if (count < replicas) throw new IllegalArgumentException(count + " data shards cannot be shared by " + replicas + " replicas: give at least as many shards");
            if (draw.data() != sentData) {
                if (dataBroadcast != null) dataBroadcast.destroy();
                sentData = draw.data();
                dataBroadcast = spark.broadcast(sentData);
            }
            for (int r = 0; r < replicas; r++) shards.add(new TaskRows.Drawn(dataBroadcast, draw.step(), ShardedData.split(count, replicas, r), ShardedData.split(count, replicas, r + 1)));
            return shards;
        }
        Batch batch = objective.nextBatch();
        int rows = batch.rows();
        if (rows < replicas) throw new IllegalArgumentException("a batch of " + rows + " rows cannot be shared by " + replicas + " replicas");
        for (int r = 0; r < replicas; r++) {
            int from = ShardedData.split(rows, replicas, r), to = ShardedData.split(rows, replicas, r + 1);
            shards.add(Rows.of(batch.rows(from, to - from)));
        }
        return shards;
    }
}

package dev.strand.spark;

import dev.strand.autograd.Variable;
import dev.strand.nn.train.Batch;
import dev.strand.nn.train.GradientSource;
import dev.strand.nn.train.ShardedObjective;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data parallelism on Spark: each step, the driver draws the global batch from the
 * objective (so the data, masks and their order are exactly a single-process run's), cuts it into
 * {@code replicas} contiguous shards of rows, broadcasts the current weights, and runs one job of
 * one task per shard ({@link ReplicaWorker}). The tasks' summed losses and gradients come back in
 * partition order and are added in that order, then divided by the total weight (masked tokens),
 * so every run with the same seeds gives the same update, and the update is the single-process
 * one up to the order of float additions. The {@link dev.strand.nn.train.TrainingLoop} does the
 * rest: schedule, clipping, the optimizer, evaluation, checkpoints.
 *
 * <p>Why a job per step rather than a long barrier stage with an all-reduce between tasks: a task
 * here is a pure function of (weights, shard), so Spark's own retry of a lost task or executor
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
    private final List<Variable> parameters;
    private Timing last;

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
        this.parameters = List.copyOf(objective.model().namedParameters().values());
    }

    @Override
    public Step compute() {
        long start = System.nanoTime();
        Batch batch = objective.nextBatch();
        int rows = batch.rows();
        if (rows < replicas) throw new IllegalArgumentException("a batch of " + rows + " rows cannot be shared by " + replicas + " replicas");
        List<Rows> shards = new ArrayList<>(replicas);
        for (int r = 0; r < replicas; r++) {
            int from = (int) ((long) rows * r / replicas), to = (int) ((long) rows * (r + 1) / replicas);
            shards.add(Rows.of(batch.rows(from, to - from)));
        }
        float[][] weights = new float[parameters.size()][];
        for (int i = 0; i < weights.length; i++) weights[i] = parameters.get(i).data().toFloatArray();
        Broadcast<float[][]> sent = spark.broadcast(weights);
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
        double lossSum = 0, slowest = 0;
        float weight = 0;
        long examples = 0;
        float[][] sum = new float[parameters.size()][];
        for (ShardResult r : results) {                                          // a fixed order: the same sums every run
            lossSum += r.lossSum();
            slowest = Math.max(slowest, r.seconds());
            weight += r.weight();
            examples += r.examples();
            for (int i = 0; i < sum.length; i++) {
                if (sum[i] == null) sum[i] = r.gradients()[i].clone();
                else for (int j = 0; j < sum[i].length; j++) sum[i][j] += r.gradients()[i][j];
            }
        }
        if (!(weight > 0)) throw new IllegalStateException("no replica had anything to predict in this batch");
        for (int i = 0; i < sum.length; i++) {
            float[] g = sum[i];
            for (int j = 0; j < g.length; j++) g[j] /= weight;
            parameters.get(i).accumulate(Tensor.of(g, parameters.get(i).shape()));
        }
        last = new Timing((System.nanoTime() - start) / 1e9, slowest);
        return new Step((float) (lossSum / weight), examples);
    }
}

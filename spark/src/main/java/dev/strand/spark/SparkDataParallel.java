package dev.strand.spark;

import dev.strand.genomics.io.GenomeSource;
import dev.strand.genomics.io.Locations;
import dev.strand.genomics.train.DataParallel;
import dev.strand.nn.train.GradientSource;
import dev.strand.nn.train.ShardedObjective;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Spark as Strand's {@link DataParallel} engine (found by {@code ServiceLoader} when a user passes
 * {@code --spark}): a Spark context for the master, and {@link SparkGradients} over it.
 */
public final class SparkDataParallel implements DataParallel {
    private final JavaSparkContext spark;
    private final int replicas;

    /** Registered in {@code META-INF/services}. */
    public static final class Provider implements DataParallel.Provider {
        @Override
        public DataParallel open(String master, int replicas) {
            return new SparkDataParallel(master, replicas);
        }
    }

    /**
     * @param master   {@code local[N]}, {@code local-cluster[…]}, {@code spark://…}; {@code submit}: the
     *                 context spark-submit configured
     * @param replicas replicas, or 0 for Spark's default parallelism (its cores)
     */
    public SparkDataParallel(String master, int replicas) {
        if (replicas < 0) throw new IllegalArgumentException("--replicas must be positive, got " + replicas);
        SparkConf conf = new SparkConf().setAppName("strand").set("spark.ui.showConsoleProgress", "false");
        if (!master.equals("submit")) conf.setMaster(master);
        // Executors in their own JVMs (a cluster, local-cluster) run Strand's SIMD kernels too.
        conf.setIfMissing("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector");
        this.spark = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
        this.replicas = replicas == 0 ? spark.defaultParallelism() : replicas;
    }

    @Override
    public GradientSource gradients(ShardedObjective objective) {
        return new SparkGradients(spark, objective, replicas);
    }

    @Override
    public int replicas() {
        return replicas;
    }

    /**
     * A URI ({@code hdfs://…}, {@code s3a://…}, {@code file:…}) through Hadoop's file systems; a path
     * that exists here as a local file, as a local FASTA of any compression (on a cluster, at the same
     * path on every machine); any other path on Hadoop's default file system.
     */
    @Override
    public GenomeSource genome(String location) {
        return !Locations.isUri(location) && Files.isRegularFile(Path.of(location)) ? GenomeSource.fasta(Path.of(location)) : new HadoopFasta(location);
    }

    /** Through Hadoop's file systems, as {@link #genome} reads FASTA. */
    @Override
    public InputStream openFile(String location) throws IOException {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(location);
        return file.getFileSystem(new org.apache.hadoop.conf.Configuration()).open(file);
    }

    @Override
    public String describe() {
        return "Spark " + spark.version() + " at " + spark.master() + ", " + replicas + " replicas (one task each per step)";
    }

    /** Stops the Spark context (the command that opened it is done with it). */
    @Override
    public void close() {
        spark.close();
    }
}

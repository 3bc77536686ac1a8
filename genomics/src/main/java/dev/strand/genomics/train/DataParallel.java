package dev.strand.genomics.train;

import dev.strand.genomics.io.GenomeSource;
import dev.strand.nn.train.GradientSource;
import dev.strand.nn.train.ShardedObjective;
import java.util.ServiceLoader;

/**
 * Training on many replicas at once: each step's gradients computed on shards of the global batch
 * elsewhere and summed ({@link #gradients}). Strand's optional Spark module provides one; the core
 * never loads it, and asks for it by {@link ServiceLoader} only when a user does ({@code --spark}).
 */
public interface DataParallel extends AutoCloseable {
    /** The gradient source that trains {@code objective}'s model on this engine's replicas. */
    GradientSource gradients(ShardedObjective objective);

    /** Replicas each step's gradients are computed on. */
    int replicas();

    /**
     * A FASTA at {@code location} (a path, or a URI of a file system the engine reads) as a source
     * its replicas open where they run.
     */
    GenomeSource genome(String location);

    /** Opens the file at {@code location} (a path or a URI of a file system the engine reads), for labelled rows. */
    java.io.InputStream openFile(String location) throws java.io.IOException;

    /** One line for the user: engine, master, replicas. */
    String describe();

    @Override
    void close();

    /** What the Spark module registers under {@code META-INF/services}. */
    interface Provider {
        /**
         * @param master   where to run ({@code local[4]}, {@code spark://host:7077}; {@code submit}: the
         *                 master {@code spark-submit} gave)
         * @param replicas model replicas (0: one per core the engine has)
         */
        DataParallel open(String master, int replicas);
    }

    /** Opens the engine on the class path for {@code master}; a clear error if there is none. */
    static DataParallel open(String master, int replicas) {
        for (Provider p : ServiceLoader.load(Provider.class)) return p.open(master, replicas);
        throw new IllegalArgumentException("--spark needs Strand's Spark module on the class path: run ./strand (which adds it when --spark is given) "
                + "after a build, or spark-submit --class dev.strand.spark.SparkMain spark/target/strand-spark.jar");
    }
}

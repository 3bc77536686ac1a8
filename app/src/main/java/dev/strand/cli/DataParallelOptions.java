package dev.strand.cli;

import dev.strand.genomics.train.DataParallel;
import picocli.CommandLine.Option;

/**
 * {@code --spark}, {@code --replicas} and {@code --data-shards}, as a picocli mixin for the
 * commands that train: where each step's gradients are computed, and how each batch is drawn.
 */
final class DataParallelOptions {
    @Option(names = "--spark", paramLabel = "MASTER", description = "Train data-parallel on Apache Spark: local[N], spark://host:7077, or submit "
            + "(the master spark-submit gave). Needs the optional Spark module, which ./strand adds to the class path.")
    String spark;

    @Option(names = "--replicas", defaultValue = "0", description = "Model replicas with --spark, one Spark task each per step "
            + "(default: one per core Spark has).")
    int replicas;

    @Option(names = "--data-shards", paramLabel = "N", description = "Draw each batch as N shards, each from its own part of the training data, "
            + "each its own forward and backward pass: with --spark each replica draws (and reads) its own. The same N gives the same run, "
            + "bit for bit, with or without --spark. 0: each batch drawn whole here (default: with --spark one per replica, without 0).")
    Integer dataShards;

    /** Checks the numbers before any work. */
    void check() {
        if (spark == null && replicas != 0) throw new IllegalArgumentException("--replicas is for data-parallel training: give --spark MASTER too");
        if (replicas < 0) throw new IllegalArgumentException("--replicas must be at least 0, got " + replicas);
        if (dataShards != null && dataShards < 0) throw new IllegalArgumentException("--data-shards must be at least 0, got " + dataShards);
    }

    /** The engine of --spark, or null without it; the caller closes it. */
    DataParallel open() {
        return spark == null ? null : DataParallel.open(spark, replicas);
    }

    /** --data-shards, or its default for {@code engine} (null: none). */
    int shards(DataParallel engine) {
        return dataShards != null ? dataShards : engine != null ? engine.replicas() : 0;
    }
}

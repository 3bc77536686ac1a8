package dev.strand.tensor;

/** Reductions over one dim that every backend implements. */
public enum ReduceOp {
    SUM,
    MEAN,
    MAX,
    MIN,
    /** Index of the first maximum, as an INT32 tensor. */
    ARGMAX
}

package dev.strand.tensor;

/** Elementwise functions of one tensor that every backend implements. */
public enum UnaryOp {
    /** Copy (used to make views contiguous). */
    IDENTITY,
    NEG,
    EXP,
    LOG,
    SQRT,
    TANH,
    SIGMOID,
    RELU,
    /** x·Φ(x) with the exact normal CDF (erf form). */
    GELU_ERF,
    /** The tanh approximation of GELU: 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))). */
    GELU_TANH,
    ABS,
    /** 1 / x. */
    RECIPROCAL,
    SQUARE
}

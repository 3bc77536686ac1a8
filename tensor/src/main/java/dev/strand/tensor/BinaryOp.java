package dev.strand.tensor;

/**
 * Elementwise functions of two broadcast tensors that every backend implements.
 *
 * <p>Comparisons give 1.0 where true and 0.0 where false (a float mask). The {@code *_BACKWARD}
 * ops fuse an activation's derivative with the incoming gradient: {@code op(x, g) = f'(x)·g};
 * they are plain math, kept here so a backward pass costs one kernel, not three.
 */
public enum BinaryOp {
    ADD,
    SUB,
    MUL,
    DIV,
    POW,
    MAXIMUM,
    MINIMUM,
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE,
    /** (x, g) → g·1[x > 0]. */
    RELU_BACKWARD,
    /** (x, g) → g·d/dx[x·Φ(x)]. */
    GELU_ERF_BACKWARD,
    /** (x, g) → g·d/dx[tanh-form GELU]. */
    GELU_TANH_BACKWARD
}

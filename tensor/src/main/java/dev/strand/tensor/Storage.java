package dev.strand.tensor;

/**
 * A flat buffer of elements owned by one backend. Tensors are views over a storage (shape,
 * strides, offset); several tensors may share one storage.
 */
public interface Storage {
    /** The device the buffer lives on. */
    Device device();

    /** Element type. */
    DType dtype();

    /** Number of elements. */
    int size();
}

package dev.strand.spark;

import dev.strand.tensor.DType;
import dev.strand.tensor.Tensor;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named tensors as plain arrays, the form in which they travel to a Spark task (Strand's tensors
 * are not Java-serialisable, and need not be): a model's state, a batch's rows.
 *
 * @param columns name → one tensor's values and shape
 */
record NamedArrays(Map<String, Column> columns) implements Serializable {
    /** One tensor: INT32 values in {@code ints} or FLOAT32 values in {@code floats}, the other null. */
    record Column(int[] shape, int[] ints, float[] floats) implements Serializable {}

    static NamedArrays of(Map<String, Tensor> tensors) {
        Map<String, Column> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> out.put(name, t.dtype() == DType.INT32
                ? new Column(t.shape(), t.toIntArray(), null) : new Column(t.shape(), null, t.toFloatArray())));
        return new NamedArrays(out);
    }

    Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        columns.forEach((name, c) -> out.put(name, c.ints() != null ? Tensor.ofInts(c.ints(), c.shape()) : Tensor.of(c.floats(), c.shape())));
        return out;
    }
}

package dev.strand.spark;

import dev.strand.nn.train.Batch;
import dev.strand.tensor.DType;
import dev.strand.tensor.Tensor;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Batch} as plain arrays, the form in which a shard travels to a Spark task (Strand's
 * tensors are not Java-serialisable, and need not be).
 *
 * @param columns name → one tensor's values and shape
 */
record Rows(Map<String, Column> columns) implements TaskRows {
    /** One tensor: INT32 values in {@code ints} or FLOAT32 values in {@code floats}, the other null. */
    record Column(int[] shape, int[] ints, float[] floats) implements Serializable {}

    static Rows of(Batch batch) {
        Map<String, Column> out = new LinkedHashMap<>();
        batch.tensors().forEach((name, t) -> out.put(name, t.dtype() == DType.INT32
                ? new Column(t.shape(), t.toIntArray(), null) : new Column(t.shape(), null, t.toFloatArray())));
        return new Rows(out);
    }

    /** The rows, one part. */
    @Override
    public List<Batch> parts() {
        return List.of(batch());
    }

    Batch batch() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        columns.forEach((name, c) -> out.put(name, c.ints() != null ? Tensor.ofInts(c.ints(), c.shape()) : Tensor.of(c.floats(), c.shape())));
        return new Batch(out);
    }
}

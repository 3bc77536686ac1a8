package dev.strand.nn.train;

import dev.strand.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One batch of training data as named tensors whose first dim is the row (input ids, labels,
 * padding): what a data-parallel run cuts into shards, one per replica.
 *
 * @param tensors name → tensor [rows, …], every one with the same number of rows
 */
public record Batch(Map<String, Tensor> tensors) {
    public Batch {
        tensors = Map.copyOf(new LinkedHashMap<>(tensors));
        int rows = -1;
        for (var e : tensors.entrySet()) {
            int r = e.getValue().size(0);
            if (rows >= 0 && r != rows) throw new IllegalArgumentException("batch tensor " + e.getKey() + " has " + r + " rows, the others " + rows);
            rows = r;
        }
    }

    /** Rows in the batch. */
    public int rows() {
        return tensors.values().iterator().next().size(0);
    }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("the batch has no tensor '" + name + "' (it has " + tensors.keySet() + ")");
        return t;
    }

    /** Rows {@code from} … {@code from + count − 1}, as contiguous copies. */
    public Batch rows(int from, int count) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> out.put(k, t.narrow(0, from, count).copy()));
        return new Batch(out);
    }
}

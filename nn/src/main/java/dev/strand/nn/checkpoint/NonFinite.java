package dev.strand.nn.checkpoint;

import dev.strand.tensor.DType;
import dev.strand.tensor.Tensor;
import java.util.Map;

/** Finds NaN and infinite values in named tensors: no checkpoint is written or loaded with one. */
final class NonFinite {
    private NonFinite() {}

    /** "tensor 'name' holds NaN at element i" for the first float tensor with a non-finite value, or null if there is none. */
    static String first(Map<String, Tensor> tensors) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            if (t == null || t.dtype() != DType.FLOAT32) continue;
            float[] values = t.toFloatArray();
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) return "tensor '" + e.getKey() + "' holds " + values[i] + " at element " + i;
            }
        }
        return null;
    }
}

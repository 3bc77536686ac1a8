package dev.strand.genomics.variants;

import dev.strand.tensor.Tensor;

/** Log-softmax of logits [N, V], read by row and token id. */
final class LogProbs {
    private final float[] values;
    private final int vocab;

    LogProbs(Tensor logits) {
        if (logits.dim() != 2) throw new IllegalArgumentException("log-probabilities need logits [N, V], got " + logits);
        this.vocab = logits.size(1);
        this.values = logits.logSoftmax(1).contiguous().toFloatArray();
    }

    /** log p(id) in row {@code row}, nats. */
    double at(int row, int id) {
        return values[row * vocab + id];
    }
}

package dev.strand.genomics.data;

import dev.strand.tensor.Tensor;

/**
 * A batch of tokenized sequences: {@code ids} [B, T] INT32, {@code padding} [B, T] FLOAT32 with 1 at
 * padding and 0 at tokens, and {@code labels}: INT32 [B] class ids for classification, FLOAT32
 * [B, targets] for regression.
 */
public record Batch(Tensor ids, Tensor padding, Tensor labels) {
    public int size() {
        return ids.size(0);
    }

    public int length() {
        return ids.size(1);
    }
}

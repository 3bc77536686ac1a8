package dev.strand.nn.attention;

import dev.strand.autograd.Variable;
import dev.strand.nn.Module;
import dev.strand.tensor.Tensor;

/**
 * Self-attention as a transformer block sees it, whatever computes it: dense multi-head attention
 * ({@link MultiHeadAttention}) today, block-sparse or memory-augmented attention tomorrow. A block
 * holds one under the name {@code attention}; {@link AttentionConfig} says which kind a model uses.
 *
 * <p>B = batch, T = query positions, S = key positions (T, or cached + T with a KV cache), d = model width.
 */
public abstract class SelfAttention extends Module {
    /**
     * x [B, T, d] → [B, T, d], each query attending to the keys {@code mask} lets it see. With a
     * cache, x holds only the new positions, which also attend to the cached ones, and the cache
     * grows by T.
     */
    public abstract Variable forward(Variable x, AttentionMask mask, KvCache cache);

    /** Without a cache. */
    public final Variable forward(Variable x, AttentionMask mask) {
        return forward(x, mask, null);
    }

    /** Keeps (or stops keeping) the attention weights of the last forward call. */
    public abstract void recordAttention(boolean on);

    /** Attention weights [B, H, T, S] of the last call while recording, else null. */
    public abstract Tensor lastAttention();
}

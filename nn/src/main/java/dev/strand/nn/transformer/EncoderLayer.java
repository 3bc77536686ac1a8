package dev.strand.nn.transformer;

import dev.strand.autograd.Variable;
import dev.strand.nn.Dropout;
import dev.strand.nn.FeedForward;
import dev.strand.nn.LayerNorm;
import dev.strand.nn.Module;
import dev.strand.nn.attention.KvCache;
import dev.strand.nn.attention.MultiHeadAttention;
import dev.strand.nn.attention.Rope;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;

/**
 * One transformer block: self-attention and a feed-forward MLP, each in a residual branch with
 * layer norm. Pre-LN (GPT-2, most modern models): x + f(norm(x)); post-LN (original Transformer,
 * BERT): norm(x + f(x)). Serves encoders (padding masks) and decoders (causal masks, KV cache).
 */
public final class EncoderLayer extends Module {
    public final MultiHeadAttention attention;
    public final FeedForward ffn;
    public final LayerNorm norm1, norm2;
    private final Dropout dropout1, dropout2;
    private final boolean preNorm;

    public EncoderLayer(int dim, int heads, int ffnDim, float dropout, boolean preNorm, Rope rope, float layerNormEps, Generator gen) {
        this.attention = child("attention", new MultiHeadAttention(dim, heads, dropout, rope, gen));
        this.ffn = child("ffn", new FeedForward(dim, ffnDim, dropout, gen));
        this.norm1 = child("norm1", new LayerNorm(dim, layerNormEps));
        this.norm2 = child("norm2", new LayerNorm(dim, layerNormEps));
        this.dropout1 = child("dropout1", new Dropout(dropout, gen));
        this.dropout2 = child("dropout2", new Dropout(dropout, gen));
        this.preNorm = preNorm;
    }

    /** x [B, T, d] with an additive mask (may be null) and an optional cache → [B, T, d]. */
    public Variable forward(Variable x, Tensor mask, KvCache cache) {
        if (preNorm) {
            x = x.add(dropout1.forward(attention.forward(norm1.forward(x), mask, cache)));   // [B, T, d]
            return x.add(dropout2.forward(ffn.forward(norm2.forward(x))));                  // [B, T, d]
        }
        x = norm1.forward(x.add(dropout1.forward(attention.forward(x, mask, cache))));       // [B, T, d]
        return norm2.forward(x.add(dropout2.forward(ffn.forward(x))));                      // [B, T, d]
    }

    public Variable forward(Variable x, Tensor mask) {
        return forward(x, mask, null);
    }
}

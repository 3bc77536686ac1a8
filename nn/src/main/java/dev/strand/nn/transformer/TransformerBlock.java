package dev.strand.nn.transformer;

import dev.strand.autograd.Variable;
import dev.strand.nn.Dropout;
import dev.strand.nn.FeedForward;
import dev.strand.nn.LayerNorm;
import dev.strand.nn.Module;
import dev.strand.nn.attention.AttentionConfig;
import dev.strand.nn.attention.AttentionMask;
import dev.strand.nn.attention.KvCache;
import dev.strand.nn.attention.Rope;
import dev.strand.nn.attention.SelfAttention;
import dev.strand.tensor.Generator;

/**
 * One transformer block, the same for encoders and decoders: self-attention and a feed-forward
 * MLP, each in a residual branch with layer norm. Pre-LN (GPT-2, most modern models):
 * x + f(norm(x)); post-LN (original Transformer, BERT): norm(x + f(x)). The mask says whether it
 * encodes (key padding) or decodes (causal, with a KV cache); the config says which
 * {@link SelfAttention} it holds.
 */
public final class TransformerBlock extends Module {
    public final SelfAttention attention;
    public final FeedForward ffn;
    public final LayerNorm norm1, norm2;
    private final Dropout dropout1, dropout2;
    private final boolean preNorm;

    /** Block number {@code layer} (0 first) of a model of config {@code c}. */
    public TransformerBlock(TransformerConfig c, int layer, Generator gen) {
        Rope rope = c.positions() == Positions.ROPE ? c.architecture().rope(c.dim() / c.heads()) : null;
        AttentionConfig.Placement at = new AttentionConfig.Placement(c.dim(), c.heads(), c.dropout(), c.maxLength(), layer,
                c.architecture().fusedQkv());
        Architecture a = c.architecture();
        this.attention = child("attention", c.attention().build(at, rope, gen));
        this.ffn = child("ffn", new FeedForward(c.dim(), c.ffnDim(), a.ffn(), a.ffnInputBias(), a.ffnOutputBias(), c.dropout(), gen));
        this.norm1 = child("norm1", new LayerNorm(c.dim(), c.layerNormEps()));
        this.norm2 = child("norm2", new LayerNorm(c.dim(), c.layerNormEps()));
        this.dropout1 = child("dropout1", new Dropout(c.dropout(), gen));
        this.dropout2 = child("dropout2", new Dropout(c.dropout(), gen));
        this.preNorm = c.preNorm();
    }

    /** x [B, T, d] → [B, T, d]; with a cache, x holds the positions after the cached ones. */
    public Variable forward(Variable x, AttentionMask mask, KvCache cache) {
        if (preNorm) {
            x = x.add(dropout1.forward(attention.forward(norm1.forward(x), mask, cache)));   // [B, T, d]
            return x.add(dropout2.forward(ffn.forward(norm2.forward(x))));                  // [B, T, d]
        }
        x = norm1.forward(x.add(dropout1.forward(attention.forward(x, mask, cache))));       // [B, T, d]
        return norm2.forward(x.add(dropout2.forward(ffn.forward(x))));                      // [B, T, d]
    }

    /** Without a cache. */
    public Variable forward(Variable x, AttentionMask mask) {
        return forward(x, mask, null);
    }
}

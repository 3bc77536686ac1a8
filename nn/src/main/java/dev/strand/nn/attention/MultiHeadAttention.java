package dev.strand.nn.attention;

import dev.strand.autograd.Attention;
import dev.strand.autograd.Variable;
import dev.strand.nn.Dropout;
import dev.strand.tensor.CausalMask;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;

/**
 * Multi-head scaled dot-product attention (Vaswani et al.), written out step by step; unless the
 * weights are recorded (or dropped out where training cannot keep them), the fused
 * {@link Attention} op computes the same, dropout included.
 *
 * <p>B = batch, T = query positions, S = key positions, d = model width, H = heads, hd = d / H.
 * The {@link AttentionMask}'s padding and ALiBi arrive as one additive [.., T, S] bias broadcast to
 * [B, H, T, S]; causality reaches the fused kernel as a flag. With {@link #recordAttention} on, the
 * softmax weights of the last call are kept for inspection; off, nothing is kept.
 */
public final class MultiHeadAttention extends ProjectedAttention {
    private final Dropout attentionDropout;

    /** Separate query, key and value projections; rope may be null. */
    public MultiHeadAttention(int dim, int heads, float dropout, Rope rope, Generator gen) {
        this(dim, heads, dropout, false, rope, gen);
    }

    /** With one fused query-key-value projection if {@code fused}; rope may be null. */
    public MultiHeadAttention(int dim, int heads, float dropout, boolean fused, Rope rope, Generator gen) {
        super(dim, heads, fused, rope, gen);
        this.attentionDropout = child("dropout", new Dropout(dropout, gen));
    }

    @Override
    public Variable forward(Variable x, AttentionMask mask, KvCache cache) {
        int b = x.size(0), t = x.size(1);
        int past = cache == null ? 0 : cache.length();
        Variable[] qkv = project(x);                                            // 3 × [B, T, d]
        Variable q = splitHeads(qkv[0], b, t);                                  // [B, H, T, hd]
        Variable k = splitHeads(qkv[1], b, t);                                  // [B, H, T, hd]
        Variable v = splitHeads(qkv[2], b, t);                                  // [B, H, T, hd]
        if (rope != null) {
            q = rope.apply(q, past);                                            // [B, H, T, hd]
            k = rope.apply(k, past);                                            // [B, H, T, hd]
        }
        if (cache != null) {
            Variable[] kv = cache.append(k, v);
            k = kv[0];                                                          // [B, H, S, hd]
            v = kv[1];                                                          // [B, H, S, hd]
        }
        int s = k.size(2);
        float scale = (float) (1.0 / Math.sqrt(headDim));
        Tensor dense = mask.denseBias(t, s);                                    // [.., T, S] padding and ALiBi, or null
        Variable bias = dense == null ? null : Variable.constant(dense);        // [.., T, S]
        // The fused op gives the same result unless the weights are wanted, or dropped out where
        // training does not keep them (a long input), and draws the same dropout mask.
        Variable y = recording() || (attentionDropout.active() && !Attention.keepsWeights(q, k))
                ? explicit(q, k, v, bias, mask.isCausal(), scale)               // [B, H, T, hd]
                : Attention.attention(q, k, v, bias, mask.isCausal(), scale,
                        attentionDropout.nextMask((long) b * heads * t * s));   // [B, H, T, hd]
        y = y.transpose(1, 2).reshape(b, t, dim);                               // [B, T, d]
        return output.forward(y);                                               // [B, T, d]
    }

    /** Attention step by step, the [B, H, T, S] weights materialised: recorded, or dropped out for a long input, here. */
    private Variable explicit(Variable q, Variable k, Variable v, Variable bias, boolean causal, float scale) {
        q = q.mul(scale);                                                       // [B, H, T, hd] scaled here: T·hd, not T·S, values
        Variable scores = q.matmul(k.transpose(-2, -1));                        // [B, H, T, S]
        if (bias != null) scores = scores.add(bias);                            // [B, H, T, S]
        if (causal && CausalMask.blocksAny(scores.size(-2))) {
            int t = scores.size(-2), s = scores.size(-1);
            scores = scores.add(Variable.constant(CausalMask.additive(t, s, scores.data().device())));   // [B, H, T, S]
        }
        Variable weights = scores.softmax(-1);                                  // [B, H, T, S]
        if (recording()) keep(weights.data());
        weights = attentionDropout.forward(weights);                            // [B, H, T, S]
        return weights.matmul(v);                                               // [B, H, T, hd]
    }
}

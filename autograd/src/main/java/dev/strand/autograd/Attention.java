package dev.strand.autograd;

import static dev.strand.autograd.Broadcasting.sumTo;

import dev.strand.tensor.BlockPattern;
import dev.strand.tensor.DropoutMask;
import dev.strand.tensor.Tensor;

/** Attention as one op: dense scaled-dot-product and block-sparse, forward and backward by the backend's fused kernels where it has them. */
public final class Attention {
    private Attention() {}

    /**
     * softmax(q·kᵀ·scale + bias [+ causal mask])·v, as {@link Tensor#attention}: q [B, H, T, hd],
     * k and v [B, H, S, hd], bias null or broadcastable to [B, H, T, S] → [B, H, T, hd]. The
     * weights P are kept for backward ({@link Tensor#attentionBackward}) when they fit
     * {@link #KEEP_WEIGHTS_MAX}, else recomputed there from q, k and the bias; then dV = Pᵀ·dO,
     * dS = P ⊙ (dP − rowsum(dP ⊙ P)) with dP = dO·Vᵀ, dQ = dS·K·scale, dK = dSᵀ·Q·scale and, for a
     * bias that learns, dBias = dS summed to its shape.
     */
    public static Variable attention(Variable q, Variable k, Variable v, Variable bias, boolean causal, float scale) {
        return attention(q, k, v, bias, causal, scale, null);
    }

    /**
     * {@link #attention(Variable, Variable, Variable, Variable, boolean, float)} with the weights
     * that multiply v dropped out by {@code dropout} (null for none), inside the fused kernel:
     * the same mask as {@code weights.dropout(…)} draws. With dropout the weights are always
     * kept, so callers drop out here only where {@link #keepsWeights} says they fit.
     */
    public static Variable attention(Variable q, Variable k, Variable v, Variable bias, boolean causal, float scale, DropoutMask dropout) {
        Tensor b = bias == null ? null : bias.data();
        Variable[] inputs = bias == null ? new Variable[] {q, k, v} : new Variable[] {q, k, v, bias};
        boolean keep = dropout != null || (Variable.recordsGraph(inputs) && keepsWeights(q, k));
        Tensor[] forward = keep ? Tensor.attentionKeepingWeights(q.data(), k.data(), v.data(), b, causal, scale, dropout)   // {[B, H, T, hd], [B, H, T, S]}
                : new Tensor[] {Tensor.attention(q.data(), k.data(), v.data(), b, causal, scale), null};
        Tensor weights = forward[1];
        return Variable.result("attention", forward[0], g -> {
            boolean biasLearns = bias != null && bias.requiresGrad();
            Tensor[] grads = Tensor.attentionBackward(q.data(), k.data(), v.data(), b, causal, scale, g, weights, dropout, biasLearns);
            if (q.requiresGrad()) q.accumulate(grads[0]);                                     // [B, H, T, hd]
            if (k.requiresGrad()) k.accumulate(grads[1]);                                     // [B, H, S, hd]
            if (v.requiresGrad()) v.accumulate(grads[2]);                                     // [B, H, S, hd]
            if (biasLearns) bias.accumulate(sumTo(grads[3], bias.shape()));                   // bias's shape
        }, inputs);
    }

    /**
     * Most weights [B, H, T, S] kept from forward to backward: 2^24 floats (64 MiB) per layer, as
     * the quickstart's (5.8 M) and BERT-small's (8.4 M) need; longer inputs recompute them, so
     * memory stays linear in T·hd between the passes.
     */
    static final long KEEP_WEIGHTS_MAX = 1L << 24;

    /** Whether training attention on q [B, H, T, hd] and k [B, H, S, hd] keeps its weights for backward. */
    public static boolean keepsWeights(Variable q, Variable k) {
        return (long) q.size(0) * q.size(1) * q.size(2) * k.size(2) <= KEEP_WEIGHTS_MAX;
    }

    /**
     * Block-sparse attention (BigBird), as {@link Tensor#blockSparseAttention}: q, k, v
     * [B, H, T, hd] with T = pattern.length(); keyPadding [B, T] (non-zero = padding) and ALiBi
     * {@code slopes} [H] may be null → [B, H, T, hd]. Only the output and one log-sum-exp per row
     * are kept; backward recomputes the weights block by block, so memory stays linear in T.
     */
    public static Variable blockSparse(Variable q, Variable k, Variable v, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale) {
        Tensor[] forward = Tensor.blockSparseAttention(q.data(), k.data(), v.data(), pattern, keyPadding, slopes, scale);   // [B, H, T, hd], [B, H, T]
        Tensor out = forward[0], logSumExp = forward[1];
        return Variable.result("blockSparseAttention", out, g -> {
            Tensor[] grads = Tensor.blockSparseAttentionBackward(q.data(), k.data(), v.data(), pattern, keyPadding, slopes, scale, out, logSumExp, g);
            if (q.requiresGrad()) q.accumulate(grads[0]);                                     // [B, H, T, hd]
            if (k.requiresGrad()) k.accumulate(grads[1]);                                     // [B, H, T, hd]
            if (v.requiresGrad()) v.accumulate(grads[2]);                                     // [B, H, T, hd]
        }, q, k, v);
    }
}

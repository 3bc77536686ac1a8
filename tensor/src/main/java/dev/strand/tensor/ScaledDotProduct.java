package dev.strand.tensor;

import java.util.Arrays;

/** {@link Tensor#attention} and {@link Tensor#attentionWeights}: their checks and the composed weights. */
final class ScaledDotProduct {
    private ScaledDotProduct() {}

    /** x dropped out by the mask, or x itself without one. */
    static Tensor dropped(Tensor x, DropoutMask dropout) {
        return dropout == null ? x : x.contiguous().dropout(dropout.p(), dropout.seed(), dropout.counter());
    }

    /** {out, weights}: attention and its weights [B, H, T, S], kept for the backward pass. */
    static Tensor[] attentionKeepingWeights(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale, DropoutMask dropout) {
        check(q, k, v, bias);
        Tensor out = Tensor.zeros(q.device(), DType.FLOAT32, q.shape());
        Tensor weights = Tensor.zeros(q.device(), DType.FLOAT32, q.size(0), q.size(1), q.size(2), k.size(2));
        if (out.numel() > 0 && weights.numel() > 0) q.backend().attentionKeepingWeights(q, k, v, bias, causal, scale, dropout, out, weights);
        return new Tensor[] {out, weights};
    }

    static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale) {
        check(q, k, v, bias);
        Tensor out = Tensor.zeros(q.device(), DType.FLOAT32, q.shape());
        if (out.numel() > 0) q.backend().attention(q, k, v, bias, causal, scale, out);
        return out;
    }

    /**
     * {dq, dk, dv} by the backend's kernel, or, with {@code scoresGrad}, {dq, dk, dv, dScores}
     * composed (dScores [B, H, T, S] is the gradient of the biased scores, which a bias that
     * learns needs).
     */
    static Tensor[] backward(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale, Tensor gOut, Tensor weights,
                             DropoutMask dropout, boolean scoresGrad) {
        if (dropout != null && weights == null) throw new IllegalArgumentException("attention backward: dropout needs the forward's weights");
        check(q, k, v, bias);
        gOut.requireFloat("attention backward");
        if (!gOut.sameShape(q)) {
            throw new IllegalArgumentException("attention backward: gradient " + Shapes.str(gOut.shape()) + " does not match the output " + Shapes.str(q.shape()));
        }
        int[] scores = {q.size(0), q.size(1), q.size(2), k.size(2)};
        if (weights != null && !Arrays.equals(weights.shape(), scores)) {
            throw new IllegalArgumentException("attention backward: weights " + Shapes.str(weights.shape()) + " are not the scores' shape " + Shapes.str(scores));
        }
        if (scoresGrad) return composedBackward(q, k, v, bias, causal, scale, gOut, weights, dropout);
        Tensor gq = Tensor.zeros(q.device(), DType.FLOAT32, q.shape());
        Tensor gk = Tensor.zeros(q.device(), DType.FLOAT32, k.shape());
        Tensor gv = Tensor.zeros(q.device(), DType.FLOAT32, v.shape());
        if (q.numel() > 0 && k.numel() > 0) q.backend().attentionBackward(q, k, v, bias, causal, scale, gOut, weights, dropout, gq, gk, gv);
        return new Tensor[] {gq, gk, gv, null};
    }

    /**
     * The backward pass composed from matmul and softmax's backward: with P the weights,
     * dV = Pᵀ·dO, dS = P ⊙ (dP − rowsum(dP ⊙ P)) for dP = dO·Vᵀ, dQ = dS·K·scale,
     * dK = dSᵀ·Q·scale, with the forward's weights when given; with dropout, dV reads the
     * dropped-out weights and dP passes through the same mask. Returns {dq, dk, dv, dS}.
     */
    static Tensor[] composedBackward(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale, Tensor gOut, Tensor weights,
                                     DropoutMask dropout) {
        Tensor p = weights != null ? weights : weights(q, k, bias, causal, scale);      // [B, H, T, S]
        Tensor dv = dropped(p, dropout).transpose(-2, -1).matmul(gOut);                  // [B, H, S, hd]
        Tensor ds = p.softmaxBackward(dropped(gOut.matmul(v.transpose(-2, -1)), dropout), -1, false);   // [B, H, T, S]
        Tensor dq = ds.matmul(k).mul(scale);                                             // [B, H, T, hd]
        Tensor dk = ds.transpose(-2, -1).matmul(q).mul(scale);                           // [B, H, S, hd]
        return new Tensor[] {dq, dk, dv, ds};
    }

    static Tensor weights(Tensor q, Tensor k, Tensor bias, boolean causal, float scale) {
        check(q, k, k, bias);
        Tensor scores = q.mul(scale).matmul(k.transpose(-2, -1));                     // [B, H, T, S] scaled first: T·hd, not T·S, products
        if (bias != null) scores = scores.add(bias);                                  // [B, H, T, S]
        if (causal && CausalMask.blocksAny(q.size(2))) scores = scores.maskedFill(CausalMask.blocked(q.size(2), k.size(2), q.device()), Float.NEGATIVE_INFINITY);
        return scores.softmax(-1);                                                    // [B, H, T, S]
    }

    private static void check(Tensor q, Tensor k, Tensor v, Tensor bias) {
        for (Tensor x : bias == null ? new Tensor[] {q, k, v} : new Tensor[] {q, k, v, bias}) {
            x.requireFloat("attention");
            q.sameDevice(x, "attention");
        }
        if (q.dim() != 4 || k.dim() != 4 || !k.sameShape(v) || q.size(0) != k.size(0) || q.size(1) != k.size(1) || q.size(3) != k.size(3)) {
            throw new IllegalArgumentException("attention needs q [B, H, T, hd] and k, v [B, H, S, hd], got "
                    + Shapes.str(q.shape()) + ", " + Shapes.str(k.shape()) + ", " + Shapes.str(v.shape()));
        }
        if (bias == null) return;
        int[] scores = {q.size(0), q.size(1), q.size(2), k.size(2)};
        boolean fits;
        try {
            fits = Arrays.equals(Shapes.broadcast(bias.shape(), scores), scores);
        } catch (IllegalArgumentException e) {
            fits = false;
        }
        if (!fits) {
            throw new IllegalArgumentException("attention bias " + Shapes.str(bias.shape()) + " does not broadcast to the scores " + Shapes.str(scores));
        }
    }
}

package dev.strand.tensor;

import java.util.Arrays;

/** {@link Tensor#attention} and {@link Tensor#attentionWeights}: their checks and the composed weights. */
final class ScaledDotProduct {
    private ScaledDotProduct() {}

    static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale) {
        check(q, k, v, bias);
        Tensor out = Tensor.zeros(q.device(), DType.FLOAT32, q.shape());
        if (out.numel() > 0) q.backend().attention(q, k, v, bias, causal, scale, out);
        return out;
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

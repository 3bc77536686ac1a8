package dev.strand.nn.attention;

import dev.strand.tensor.Tensor;

/**
 * Additive attention masks: 0 where a query may attend to a key, −∞ where it may not. They are
 * added to the scaled scores before softmax and broadcast against [B, H, T, S].
 */
public final class AttentionMasks {
    private AttentionMasks() {}

    /**
     * Key padding: {@code padding} [B, S] is 1 at padded keys. Returns [B, 1, 1, S], −∞ at padded keys.
     */
    public static Tensor padding(Tensor padding) {
        int b = padding.size(0), s = padding.size(1);
        return Tensor.zeros(b, s).maskedFill(padding.toFloat(), Float.NEGATIVE_INFINITY).view(b, 1, 1, s);
    }

    /**
     * Causal: query i (at absolute position offset + i) sees keys 0 … offset + i. Returns
     * [T, offset + T], −∞ above the shifted diagonal.
     */
    public static Tensor causal(int queries, int offset) {
        int keys = offset + queries;
        float[] m = new float[queries * keys];
        for (int i = 0; i < queries; i++) {
            for (int j = offset + i + 1; j < keys; j++) m[i * keys + j] = Float.NEGATIVE_INFINITY;
        }
        return Tensor.of(m, queries, keys);
    }

    /** Sum of two additive masks (either may be null). */
    public static Tensor combine(Tensor a, Tensor b) {
        return a == null ? b : b == null ? a : a.add(b);
    }
}

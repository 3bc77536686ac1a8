package dev.strand.tensor;

/**
 * The causal mask of attention, written once for every path that needs it (the composed weights
 * of {@link Tensor#attentionWeights} and nn's step-by-step attention): T queries are the last T of
 * S positions, so query i sits at absolute position S − T + i and sees keys 0 … S − T + i. With a
 * KV cache S − T is the number of cached positions; without one S = T.
 */
public final class CausalMask {
    private CausalMask() {}

    /**
     * Whether T queries hide any key: one query (a decoding step with a KV cache) is the last
     * position and sees every key, so its mask is all zeros and need not be built or applied.
     */
    public static boolean blocksAny(int queries) {
        return queries > 1;
    }

    /** [T, S] on {@code device}: 1 where key j lies after query i's position, else 0. */
    public static Tensor blocked(int queries, int keys, Device device) {
        return fill(queries, keys, 1f, device);
    }

    /** [T, S] on {@code device}, to add to attention scores: −∞ where key j lies after query i's position, else 0. */
    public static Tensor additive(int queries, int keys, Device device) {
        return fill(queries, keys, Float.NEGATIVE_INFINITY, device);
    }

    private static Tensor fill(int queries, int keys, float blockedValue, Device device) {
        float[] m = new float[queries * keys];
        for (int i = 0; i < queries; i++) {
            for (int j = Math.max(0, keys - queries + i + 1); j < keys; j++) m[i * keys + j] = blockedValue;
        }
        return new Tensor(Backends.of(device).upload(m), new int[] {queries, keys}, new int[] {keys, 1}, 0);
    }
}

package dev.strand.nn.attention;

import dev.strand.tensor.Tensor;

/**
 * ALiBi (Press et al.; used by DNABERT-2): no position embeddings; head h adds −slope_h·|i − j|
 * to its attention logits, so attention decays with distance at a per-head rate and the model
 * runs on sequences longer than it was trained on.
 */
public final class Alibi {
    private Alibi() {}

    /**
     * Slopes for {@code heads} heads: 2^(−8h/H) for h = 1 … H when H is a power of two; otherwise
     * those of the largest power of two below H, then every other slope of twice that many.
     */
    public static float[] slopes(int heads) {
        int pow2 = Integer.highestOneBit(heads);
        float[] out = new float[heads];
        float[] base = powerOfTwoSlopes(pow2);
        System.arraycopy(base, 0, out, 0, pow2);
        if (pow2 < heads) {
            float[] extra = powerOfTwoSlopes(2 * pow2);
            for (int i = 0; i < heads - pow2; i++) out[pow2 + i] = extra[2 * i];
        }
        return out;
    }

    private static float[] powerOfTwoSlopes(int n) {
        float[] s = new float[n];
        for (int h = 1; h <= n; h++) s[h - 1] = (float) Math.pow(2, -8.0 * h / n);
        return s;
    }

    /**
     * The bias [H, T, S] for T queries at absolute positions offset … offset+T−1 and S keys at
     * positions 0 … S−1: −slope_h·|i − j|, with {@link #slopes}({@code heads}).
     */
    public static Tensor bias(int heads, int queries, int keys, int offset) {
        return bias(slopes(heads), queries, keys, offset);
    }

    /** The same bias for given per-head slopes (H = {@code slopes.length}). */
    public static Tensor bias(float[] slopes, int queries, int keys, int offset) {
        int heads = slopes.length;
        float[] b = new float[heads * queries * keys];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < queries; i++) {
                for (int j = 0; j < keys; j++) b[(h * queries + i) * keys + j] = -slopes[h] * Math.abs(offset + i - j);
            }
        }
        return Tensor.of(b, heads, queries, keys);
    }
}

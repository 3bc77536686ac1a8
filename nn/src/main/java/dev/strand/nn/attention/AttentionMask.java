package dev.strand.nn.attention;

import dev.strand.tensor.Tensor;

/**
 * What the queries of one self-attention call may see, as a description that each kind of
 * attention reads its own way: which keys are padding, whether attention is causal, ALiBi's
 * distance penalties, and how many positions a KV cache already holds before these queries. An
 * encoder builds one per forward pass and every layer shares it; dense attention asks for the
 * additive [.., T, S] form ({@link #denseBias}), which is built once, on first use. Causality stays
 * a flag, so a fused kernel can skip the keys it hides instead of adding −∞ to them.
 */
public final class AttentionMask {
    private final Tensor keyPadding;    // [B, S], 1 at padded keys; null when no key is padding
    private final boolean causal;
    private final float[] alibiSlopes;  // one per head; null without ALiBi
    private final int past;             // positions cached before these queries
    private Tensor dense;               // denseBias's result for (denseQueries, denseKeys)
    private int denseQueries = -1, denseKeys = -1;

    private AttentionMask(Tensor keyPadding, boolean causal, float[] alibiSlopes, int past) {
        this.keyPadding = keyPadding;
        this.causal = causal;
        this.alibiSlopes = alibiSlopes;
        this.past = past;
    }

    /** Every query sees every key. */
    public static AttentionMask none() {
        return new AttentionMask(null, false, null, 0);
    }

    /** {@code keyPadding} [B, S] is 1 (or true) at padded keys, which no query sees; null means none is padding. */
    public static AttentionMask keyPadding(Tensor keyPadding) {
        if (keyPadding != null && keyPadding.dim() != 2) {
            throw new IllegalArgumentException("key padding must be [batch, keys], got " + keyPadding);
        }
        return new AttentionMask(keyPadding, false, null, 0);
    }

    /** Row b holds {@code lengths[b]} real keys followed by padding, up to {@code keys}. */
    public static AttentionMask lengths(int[] lengths, int keys) {
        int[] pad = new int[lengths.length * keys];
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 0 || lengths[b] > keys) throw new IllegalArgumentException("length " + lengths[b] + " of row " + b + " is outside 0.." + keys);
            for (int j = lengths[b]; j < keys; j++) pad[b * keys + j] = 1;
        }
        return keyPadding(Tensor.ofInts(pad, lengths.length, keys));
    }

    /** Each query sees only the keys at or before its own position (decoders). */
    public static AttentionMask causal() {
        return new AttentionMask(null, true, null, 0);
    }

    /** The same mask, causal or not. */
    public AttentionMask withCausal(boolean on) {
        return new AttentionMask(keyPadding, on, alibiSlopes, past);
    }

    /** The same mask with ALiBi: head h adds −slopes[h]·|i − j| to its scores (see {@link Alibi}). */
    public AttentionMask withAlibi(float[] slopes) {
        return new AttentionMask(keyPadding, causal, slopes.clone(), past);
    }

    /** The same mask for queries that follow {@code cached} positions already in a KV cache. */
    public AttentionMask afterCached(int cached) {
        if (cached < 0) throw new IllegalArgumentException("cached positions must be non-negative, got " + cached);
        return new AttentionMask(keyPadding, causal, alibiSlopes, cached);
    }

    /** Key padding [B, S], 1 at padded keys, or null. */
    public Tensor keyPadding() {
        return keyPadding;
    }

    public boolean isCausal() {
        return causal;
    }

    /** ALiBi's per-head slopes, or null. */
    public float[] alibiSlopes() {
        return alibiSlopes == null ? null : alibiSlopes.clone();
    }

    /** Positions already cached before these queries (the queries' first absolute position). */
    public int past() {
        return past;
    }

    /**
     * Padding and ALiBi as one additive bias for T queries and S keys: [B, 1, 1, S] for padding
     * alone, [H, T, S] for ALiBi alone, [B, H, T, S] for both; 0 where a key is seen, −∞ at padded
     * keys. Null when there is neither. Causality is not in it (see {@link #isCausal}).
     */
    public Tensor denseBias(int queries, int keys) {
        if (queries != denseQueries || keys != denseKeys) {
            Tensor bias = keyPadding == null ? null : paddingBias(keyPadding);                         // [B, 1, 1, S]
            if (alibiSlopes != null) {
                Tensor alibi = Alibi.bias(alibiSlopes, queries, keys, past);                           // [H, T, S]
                bias = bias == null ? alibi : bias.add(alibi);                                         // [B, H, T, S]
            }
            dense = bias;
            denseQueries = queries;
            denseKeys = keys;
        }
        return dense;
    }

    /** Key padding [B, S] (1 = pad) → additive [B, 1, 1, S], −∞ at padded keys. */
    public static Tensor paddingBias(Tensor keyPadding) {
        int b = keyPadding.size(0), s = keyPadding.size(1);
        return Tensor.zeros(b, s).maskedFill(keyPadding.toFloat(), Float.NEGATIVE_INFINITY).view(b, 1, 1, s);
    }
}

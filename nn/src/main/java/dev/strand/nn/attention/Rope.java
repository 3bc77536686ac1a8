package dev.strand.nn.attention;

import dev.strand.autograd.Elementwise;
import dev.strand.autograd.Variable;
import dev.strand.tensor.Device;
import dev.strand.tensor.Tensor;

/**
 * Rotary position embeddings (RoPE; Su et al.): rotate each feature pair of queries and keys by
 * pos·θ_i, θ_i = base^(−2i/d_head), so their dot product depends only on relative position. Pairs
 * are (i, i + d_head/2) — the "rotate half" layout of GPT-NeoX — which is the interleaved layout
 * up to a fixed permutation of features.
 */
public final class Rope {
    private final int headDim;
    private final float base;
    private volatile Tables cached;

    public Rope(int headDim, float base) {
        if (headDim % 2 != 0) throw new IllegalArgumentException("RoPE needs an even head dim, got " + headDim);
        this.headDim = headDim;
        this.base = base;
    }

    public Rope(int headDim) {
        this(headDim, 10000f);
    }

    /**
     * x [B, H, T, hd] at absolute positions offset … offset+T−1 → rotated, same shape:
     * x1·cos − x2·sin and x2·cos + x1·sin for the halves x1, x2, in one fused op.
     */
    public Variable apply(Variable x, int offset) {
        Tables t = tables(offset, x.size(-2), x.data().device());
        return Elementwise.rotateHalf(x, t.cos, t.sin);                      // [B, H, T, hd]
    }

    /** cos and sin [T, hd/2] of positions offset … offset+T−1; the last pair is kept, since every layer asks for the same. */
    private Tables tables(int offset, int t, Device device) {
        Tables last = cached;
        if (last != null && last.offset == offset && last.cos.size(0) == t && last.cos.device().equals(device)) return last;
        int half = headDim / 2;
        float[] cos = new float[t * half], sin = new float[t * half];
        for (int p = 0; p < t; p++) {
            for (int i = 0; i < half; i++) {
                double angle = (offset + p) * Math.pow(base, -2.0 * i / headDim);
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
        cached = new Tables(offset, Tensor.of(cos, t, half).to(device), Tensor.of(sin, t, half).to(device));
        return cached;
    }

    private record Tables(int offset, Tensor cos, Tensor sin) {}
}

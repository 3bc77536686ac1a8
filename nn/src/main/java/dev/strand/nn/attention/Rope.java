package dev.strand.nn.attention;

import dev.strand.autograd.Elementwise;
import dev.strand.autograd.Shaping;
import dev.strand.autograd.Variable;
import dev.strand.tensor.Device;
import dev.strand.tensor.Tensor;
import java.util.List;

/**
 * Rotary position embeddings (RoPE; Su et al.): rotate each feature pair of queries and keys by
 * pos·θ_i, θ_i = base^(−2i/d_head), so their dot product depends only on relative position. Pairs
 * are (i, i + d_head/2) — the "rotate half" layout of GPT-NeoX — which is the interleaved layout
 * up to a fixed permutation of features. A partial rotation (GPT-NeoX's {@code rotary_pct}, GENA-LM's
 * {@code rotary_dim}) turns only the first {@code rotaryDim} features of each head, halves within
 * them, and passes the rest through.
 */
public final class Rope {
    private final int headDim, rotaryDim;
    private final float base;
    private volatile Tables cached;

    /** Turns the first {@code rotaryDim} of {@code headDim} features, θ_i = base^(−2i/rotaryDim). */
    public Rope(int headDim, float base, int rotaryDim) {
        if (rotaryDim % 2 != 0 || rotaryDim <= 0 || rotaryDim > headDim) {
            throw new IllegalArgumentException("RoPE needs an even number of rotated features within the head of " + headDim + ", got " + rotaryDim);
        }
        this.headDim = headDim;
        this.rotaryDim = rotaryDim;
        this.base = base;
    }

    public Rope(int headDim, float base) {
        this(headDim, base, headDim);
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
        if (rotaryDim == headDim) return Elementwise.rotateHalf(x, t.cos, t.sin);   // [B, H, T, hd]
        Variable turned = Elementwise.rotateHalf(x.narrow(-1, 0, rotaryDim).contiguous(), t.cos, t.sin);   // [B, H, T, rd]
        return Shaping.concat(List.of(turned, x.narrow(-1, rotaryDim, headDim - rotaryDim)), -1);   // [B, H, T, hd]
    }

    /** cos and sin [T, hd/2] of positions offset … offset+T−1; the last pair is kept, since every layer asks for the same. */
    private Tables tables(int offset, int t, Device device) {
        Tables last = cached;
        if (last != null && last.offset == offset && last.cos.size(0) == t && last.cos.device().equals(device)) return last;
        int half = rotaryDim / 2;
        float[] cos = new float[t * half], sin = new float[t * half];
        for (int p = 0; p < t; p++) {
            for (int i = 0; i < half; i++) {
                double angle = (offset + p) * Math.pow(base, -2.0 * i / rotaryDim);
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
        cached = new Tables(offset, Tensor.of(cos, t, half).to(device), Tensor.of(sin, t, half).to(device));
        return cached;
    }

    private record Tables(int offset, Tensor cos, Tensor sin) {}
}

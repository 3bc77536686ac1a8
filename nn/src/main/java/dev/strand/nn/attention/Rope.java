package dev.strand.nn.attention;

import dev.strand.autograd.Shaping;
import dev.strand.autograd.Variable;
import dev.strand.tensor.Tensor;
import java.util.List;

/**
 * Rotary position embeddings (RoPE; Su et al.): rotate each feature pair of queries and keys by
 * pos·θ_i, θ_i = base^(−2i/d_head), so their dot product depends only on relative position. Pairs
 * are (i, i + d_head/2) — the "rotate half" layout of GPT-NeoX — which is the interleaved layout
 * up to a fixed permutation of features.
 */
public final class Rope {
    private final int headDim;
    private final float base;

    public Rope(int headDim, float base) {
        if (headDim % 2 != 0) throw new IllegalArgumentException("RoPE needs an even head dim, got " + headDim);
        this.headDim = headDim;
        this.base = base;
    }

    public Rope(int headDim) {
        this(headDim, 10000f);
    }

    /** x [B, H, T, hd] at absolute positions offset … offset+T−1 → rotated, same shape. */
    public Variable apply(Variable x, int offset) {
        int t = x.size(-2), half = headDim / 2;
        float[] cos = new float[t * half], sin = new float[t * half];
        for (int p = 0; p < t; p++) {
            for (int i = 0; i < half; i++) {
                double angle = (offset + p) * Math.pow(base, -2.0 * i / headDim);
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
        Variable c = Variable.constant(Tensor.of(cos, t, half));              // [T, hd/2]
        Variable s = Variable.constant(Tensor.of(sin, t, half));              // [T, hd/2]
        Variable x1 = x.narrow(-1, 0, half);                                  // [B, H, T, hd/2]
        Variable x2 = x.narrow(-1, half, half);                               // [B, H, T, hd/2]
        Variable r1 = x1.mul(c).sub(x2.mul(s));                               // [B, H, T, hd/2]
        Variable r2 = x2.mul(c).add(x1.mul(s));                               // [B, H, T, hd/2]
        return Shaping.concat(List.of(r1, r2), -1);                           // [B, H, T, hd]
    }
}

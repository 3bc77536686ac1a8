package dev.strand.tensor;

import java.util.function.IntConsumer;

/**
 * Block-sparse attention (BigBird) on host arrays, the one algorithm every CPU path runs: a
 * backend passes its own {@link Lanes} (the Vector API's, or {@link #SCALAR}) and {@link Tasks}
 * (its thread pool, or {@link #SEQUENTIAL}). Query row t of head h attends to the keys of the
 * key blocks its query block's pattern row lists, in one softmax; the [T, T] scores never exist.
 * Memory beyond inputs and outputs: one score row per running task, and the log-sum-exp per row
 * (B·H·T floats) that the backward pass recomputes the weights from.
 *
 * <p>Arrays are contiguous row-major: q, k, v, out and their gradients [B, H, T, hd], logSumExp
 * [B, H, T], keyPadding [B, T] (non-zero = padding, never attended to) or null, slopes [H] (ALiBi:
 * −slope_h·|t − s| added to score (t, s)) or null.
 */
public final class BlockSparseKernel {
    private BlockSparseKernel() {}

    /** The two inner loops over a head's dimensions. */
    public interface Lanes {
        /** Σ a[ao + i]·b[bo + i] over i &lt; n. */
        float dot(float[] a, int ao, float[] b, int bo, int n);

        /** y[yo + i] += s·x[xo + i] for i &lt; n. */
        void axpy(float s, float[] x, int xo, float[] y, int yo, int n);
    }

    /** Runs {@code body(i)} for every task i &lt; n, in any order, possibly at once. */
    public interface Tasks {
        void forEach(int n, IntConsumer body);
    }

    /** Plain loops: the reference path, and the path of a CPU without usable vectors. */
    public static final Lanes SCALAR = new Lanes() {
        @Override
        public float dot(float[] a, int ao, float[] b, int bo, int n) {
            float s = 0;
            for (int i = 0; i < n; i++) s += a[ao + i] * b[bo + i];
            return s;
        }

        @Override
        public void axpy(float s, float[] x, int xo, float[] y, int yo, int n) {
            for (int i = 0; i < n; i++) y[yo + i] += s * x[xo + i];
        }
    };

    /** One task after another on the calling thread. */
    public static final Tasks SEQUENTIAL = (n, body) -> {
        for (int i = 0; i < n; i++) body.accept(i);
    };

    /**
     * The shape of one call.
     *
     * @param batch      B
     * @param length     T, pattern.blocks · pattern.blockSize
     * @param headDim    hd
     * @param pattern    which key blocks each query block reads, per head (H = pattern.heads)
     * @param keyPadding [B, T], non-zero at padding, or null
     * @param slopes     ALiBi slopes [H], or null
     * @param scale      multiplies q·k (usually 1/√hd)
     */
    public record Problem(int batch, int length, int headDim, BlockPattern pattern, float[] keyPadding, float[] slopes, float scale) {
        int heads() {
            return pattern.heads;
        }

        /** Score of query row t against key row s of one (batch, head) slice starting at {@code base}; −∞ for a padded key. */
        float score(float[] q, float[] k, int b, int h, int base, int t, int s, Lanes lanes) {
            if (keyPadding != null && keyPadding[b * length + s] != 0) return Float.NEGATIVE_INFINITY;
            float sc = lanes.dot(q, base + t * headDim, k, base + s * headDim, headDim) * scale;
            return slopes == null ? sc : sc - slopes[h] * Math.abs(t - s);
        }
    }

    /** out and logSumExp from q, k, v; out need not be zeroed. A row whose keys are all padding gets zeros and −∞. */
    public static void forward(Problem p, float[] q, float[] k, float[] v, float[] out, float[] logSumExp, Lanes lanes, Tasks tasks) {
        BlockPattern pattern = p.pattern();
        int bs = pattern.blockSize, nb = pattern.blocks, heads = p.heads(), hd = p.headDim(), t = p.length();
        tasks.forEach(p.batch() * heads * nb, task -> {
            int i = task % nb, h = task / nb % heads, b = task / nb / heads;
            int base = (b * heads + h) * t * hd;
            int from = pattern.rowStart(h, i), to = pattern.rowEnd(h, i);
            float[] weights = new float[(to - from) * bs];                   // one query row's scores, then weights
            for (int row = i * bs; row < (i + 1) * bs; row++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int r = from, w = 0; r < to; r++) {
                    for (int s = pattern.keyBlock(r) * bs, end = s + bs; s < end; s++, w++) {
                        weights[w] = p.score(q, k, b, h, base, row, s, lanes);
                        max = Math.max(max, weights[w]);
                    }
                }
                int o = base + row * hd;
                java.util.Arrays.fill(out, o, o + hd, 0f);
                if (max == Float.NEGATIVE_INFINITY) {
                    logSumExp[(b * heads + h) * t + row] = Float.NEGATIVE_INFINITY;
                    continue;
                }
                float sum = 0;
                for (int w = 0; w < weights.length; w++) sum += weights[w] = (float) Math.exp(weights[w] - max);
                float inv = 1 / sum;
                for (int r = from, w = 0; r < to; r++) {
                    for (int s = pattern.keyBlock(r) * bs, end = s + bs; s < end; s++, w++) {
                        if (weights[w] != 0) lanes.axpy(weights[w] * inv, v, base + s * hd, out, o, hd);
                    }
                }
                logSumExp[(b * heads + h) * t + row] = max + (float) Math.log(sum);
            }
        });
    }

    /**
     * Adds the gradients of q, k and v to gq, gk, gv (zero them first for plain gradients), given
     * the forward pass's out and logSumExp and the gradient gOut of out. The weights are recomputed:
     * P = exp(score − logSumExp); dV += Pᵀ·dO; dS = P ⊙ (dO·Vᵀ − rowsum(dO ⊙ O)); dQ += dS·K·scale;
     * dK += dSᵀ·Q·scale. One task per (batch, head), so no two tasks write the same gradient row.
     */
    public static void backward(Problem p, float[] q, float[] k, float[] v, float[] out, float[] logSumExp, float[] gOut,
                                float[] gq, float[] gk, float[] gv, Lanes lanes, Tasks tasks) {
        BlockPattern pattern = p.pattern();
        int bs = pattern.blockSize, nb = pattern.blocks, heads = p.heads(), hd = p.headDim(), t = p.length();
        float scale = p.scale();
        tasks.forEach(p.batch() * heads, task -> {
            int h = task % heads, b = task / heads;
            int base = (b * heads + h) * t * hd;
            for (int i = 0; i < nb; i++) {
                int from = pattern.rowStart(h, i), to = pattern.rowEnd(h, i);
                for (int row = i * bs; row < (i + 1) * bs; row++) {
                    float lse = logSumExp[(b * heads + h) * t + row];
                    if (lse == Float.NEGATIVE_INFINITY) continue;
                    int o = base + row * hd;
                    float d = lanes.dot(gOut, o, out, o, hd);                        // rowsum(dO ⊙ O)
                    for (int r = from; r < to; r++) {
                        for (int s = pattern.keyBlock(r) * bs, end = s + bs; s < end; s++) {
                            float sc = p.score(q, k, b, h, base, row, s, lanes);
                            if (sc == Float.NEGATIVE_INFINITY) continue;
                            float weight = (float) Math.exp(sc - lse);
                            int kv = base + s * hd;
                            lanes.axpy(weight, gOut, o, gv, kv, hd);                  // dV_s += P·dO_t
                            float ds = weight * (lanes.dot(gOut, o, v, kv, hd) - d) * scale;
                            lanes.axpy(ds, k, kv, gq, o, hd);                         // dQ_t += dS·K_s·scale
                            lanes.axpy(ds, q, o, gk, kv, hd);                         // dK_s += dS·Q_t·scale
                        }
                    }
                }
            }
        });
    }
}

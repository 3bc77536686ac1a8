package dev.strand.tensor;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Block-sparse attention (BigBird) on host arrays, the one algorithm every CPU path runs, in tiles
 * of one query block against one key block: S = Q_i·K_jᵀ and P·V_j are small matrix products,
 * the softmax is taken online across the key blocks of a row (running maximum and sum, as
 * FlashAttention does), so the [T, T] scores never exist. A backend passes its own {@link Ops}
 * (the Vector API's, or {@link #SCALAR}) and {@link Tasks} (its thread pool, or
 * {@link #SEQUENTIAL}). Memory beyond inputs and outputs: a few tiles per running task, and the
 * log-sum-exp per row (B·H·T floats) that the backward pass recomputes the weights from.
 *
 * <p>Arrays are contiguous row-major: q, k, v, out and their gradients [B, H, T, hd], logSumExp
 * [B, H, T], keyPadding [B, T] (non-zero = padding, never attended to) or null, slopes [H] (ALiBi:
 * −slope_h·|t − s| added to score (t, s)) or null.
 */
public final class BlockSparseKernel {
    private BlockSparseKernel() {}

    /** The two inner operations on tiles. */
    public interface Ops {
        /**
         * c[co + i·ldc + j] = Σ_p a[ao + i·ars + p·acs] · b[bo + p·brs + j·bcs] for i &lt; m,
         * j &lt; n, p &lt; k, overwriting c; the strides make transposes free.
         */
        void matmul(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs, float[] c, int co, int ldc);

        /** x[off + i] = exp(x[off + i] − shift) for i &lt; n (−∞ gives 0); returns their sum. */
        float expShifted(float[] x, int off, int n, float shift);
    }

    /** Runs {@code body(i)} for every task i &lt; n, in any order, possibly at once. */
    public interface Tasks {
        void forEach(int n, IntConsumer body);
    }

    /** Plain loops: the reference path, and the path of a CPU without usable vectors. */
    public static final Ops SCALAR = new Ops() {
        @Override
        public void matmul(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs, float[] c, int co, int ldc) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float sum = 0;
                    for (int p = 0; p < k; p++) sum += a[ao + i * ars + p * acs] * b[bo + p * brs + j * bcs];
                    c[co + i * ldc + j] = sum;
                }
            }
        }

        @Override
        public float expShifted(float[] x, int off, int n, float shift) {
            float sum = 0;
            for (int i = off; i < off + n; i++) sum += x[i] = (float) Math.exp(x[i] - shift);
            return sum;
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
        /** The problem of q [B, H, T, hd] with key padding [B, T] as host floats (or null). */
        public static Problem of(Tensor q, BlockPattern pattern, float[] keyPadding, float[] slopes, float scale) {
            return new Problem(q.size(0), q.size(2), q.size(3), pattern, keyPadding, slopes, scale);
        }

        int heads() {
            return pattern.heads;
        }

        /** Turns the raw products q·k of query block i and key block j (tile [b, b], row-major) into scores: scaled, ALiBi, −∞ at padding. */
        void scores(float[] s, int batchRow, int h, int i, int j) {
            int bs = pattern.blockSize;
            for (int r = 0; r < bs; r++) {
                for (int c = 0; c < bs; c++) {
                    int t = i * bs + r, key = j * bs + c;
                    float v = s[r * bs + c] * scale;
                    if (slopes != null) v -= slopes[h] * Math.abs(t - key);
                    if (keyPadding != null && keyPadding[batchRow * length + key] != 0) v = Float.NEGATIVE_INFINITY;
                    s[r * bs + c] = v;
                }
            }
        }
    }

    /** out and logSumExp from q, k, v; out need not be zeroed. A row whose keys are all padding gets zeros and −∞. */
    public static void forward(Problem p, float[] q, float[] k, float[] v, float[] out, float[] logSumExp, Ops ops, Tasks tasks) {
        BlockPattern pattern = p.pattern();
        int bs = pattern.blockSize, nb = pattern.blocks, heads = p.heads(), hd = p.headDim(), t = p.length();
        tasks.forEach(p.batch() * heads * nb, task -> {
            int i = task % nb, h = task / nb % heads, b = task / nb / heads;
            int base = (b * heads + h) * t * hd, q0 = base + i * bs * hd;
            float[] s = new float[bs * bs], pv = new float[bs * hd], max = new float[bs], sum = new float[bs];
            Arrays.fill(max, Float.NEGATIVE_INFINITY);
            Arrays.fill(out, q0, q0 + bs * hd, 0f);
            for (int r = pattern.rowStart(h, i); r < pattern.rowEnd(h, i); r++) {
                int j = pattern.keyBlock(r), k0 = base + j * bs * hd;
                ops.matmul(bs, bs, hd, q, q0, hd, 1, k, k0, 1, hd, s, 0, bs);            // S = Q_i·K_jᵀ      [b, b]
                p.scores(s, b, h, i, j);
                for (int row = 0; row < bs; row++) {
                    float tileMax = Float.NEGATIVE_INFINITY;
                    for (int c = 0; c < bs; c++) tileMax = Math.max(tileMax, s[row * bs + c]);
                    float newMax = Math.max(max[row], tileMax);
                    if (newMax == Float.NEGATIVE_INFINITY) {                               // nothing visible yet
                        Arrays.fill(s, row * bs, (row + 1) * bs, 0f);
                        continue;
                    }
                    if (max[row] != newMax && max[row] != Float.NEGATIVE_INFINITY) {        // rescale what came before
                        float factor = (float) Math.exp(max[row] - newMax);
                        sum[row] *= factor;
                        for (int d = q0 + row * hd; d < q0 + (row + 1) * hd; d++) out[d] *= factor;
                    }
                    sum[row] += ops.expShifted(s, row * bs, bs, newMax);                  // P = exp(S − max)
                    max[row] = newMax;
                }
                ops.matmul(bs, hd, bs, s, 0, bs, 1, v, k0, hd, 1, pv, 0, hd);           // P·V_j             [b, hd]
                for (int d = 0; d < bs * hd; d++) out[q0 + d] += pv[d];
            }
            for (int row = 0; row < bs; row++) {
                int o = q0 + row * hd;
                if (sum[row] == 0) {
                    Arrays.fill(out, o, o + hd, 0f);
                    logSumExp[(b * heads + h) * t + i * bs + row] = Float.NEGATIVE_INFINITY;
                    continue;
                }
                float inv = 1 / sum[row];
                for (int d = o; d < o + hd; d++) out[d] *= inv;
                logSumExp[(b * heads + h) * t + i * bs + row] = max[row] + (float) Math.log(sum[row]);
            }
        });
    }

    /**
     * Adds the gradients of q, k and v to gq, gk, gv (zero them first for plain gradients), given
     * the forward pass's out and logSumExp and the gradient gOut of out, tile by tile: P =
     * exp(S − logSumExp); dV_j += Pᵀ·dO_i; dS = P ⊙ (dO_i·V_jᵀ − rowsum(dO ⊙ O))·scale;
     * dQ_i += dS·K_j; dK_j += dSᵀ·Q_i. One task per (batch, head), so no two tasks write one row.
     */
    public static void backward(Problem p, float[] q, float[] k, float[] v, float[] out, float[] logSumExp, float[] gOut,
                                float[] gq, float[] gk, float[] gv, Ops ops, Tasks tasks) {
        BlockPattern pattern = p.pattern();
        int bs = pattern.blockSize, nb = pattern.blocks, heads = p.heads(), hd = p.headDim(), t = p.length();
        float scale = p.scale();
        tasks.forEach(p.batch() * heads, task -> {
            int h = task % heads, b = task / heads;
            int base = (b * heads + h) * t * hd;
            float[] s = new float[bs * bs], ds = new float[bs * bs], tile = new float[bs * hd], rowDot = new float[bs];
            for (int i = 0; i < nb; i++) {
                int q0 = base + i * bs * hd, l0 = (b * heads + h) * t + i * bs;
                for (int row = 0; row < bs; row++) {                                        // rowsum(dO ⊙ O)
                    float d = 0;
                    for (int x = q0 + row * hd; x < q0 + (row + 1) * hd; x++) d += gOut[x] * out[x];
                    rowDot[row] = d;
                }
                for (int r = pattern.rowStart(h, i); r < pattern.rowEnd(h, i); r++) {
                    int j = pattern.keyBlock(r), k0 = base + j * bs * hd;
                    ops.matmul(bs, bs, hd, q, q0, hd, 1, k, k0, 1, hd, s, 0, bs);        // S = Q_i·K_jᵀ      [b, b]
                    p.scores(s, b, h, i, j);
                    for (int row = 0; row < bs; row++) {                                    // P = exp(S − lse)
                        float lse = logSumExp[l0 + row];
                        if (lse == Float.NEGATIVE_INFINITY) Arrays.fill(s, row * bs, (row + 1) * bs, 0f);
                        else ops.expShifted(s, row * bs, bs, lse);
                    }
                    ops.matmul(bs, bs, hd, gOut, q0, hd, 1, v, k0, 1, hd, ds, 0, bs);    // dP = dO_i·V_jᵀ    [b, b]
                    for (int row = 0; row < bs; row++) {
                        for (int c = row * bs; c < (row + 1) * bs; c++) ds[c] = s[c] * (ds[c] - rowDot[row]) * scale;   // dS
                    }
                    ops.matmul(bs, hd, bs, s, 0, 1, bs, gOut, q0, hd, 1, tile, 0, hd);   // Pᵀ·dO_i           [b, hd]
                    addTo(tile, gv, k0);
                    ops.matmul(bs, hd, bs, ds, 0, bs, 1, k, k0, hd, 1, tile, 0, hd);     // dS·K_j            [b, hd]
                    addTo(tile, gq, q0);
                    ops.matmul(bs, hd, bs, ds, 0, 1, bs, q, q0, hd, 1, tile, 0, hd);     // dSᵀ·Q_i           [b, hd]
                    addTo(tile, gk, k0);
                }
            }
        });
    }

    private static void addTo(float[] tile, float[] target, int offset) {
        for (int d = 0; d < tile.length; d++) target[offset + d] += tile[d];
    }
}

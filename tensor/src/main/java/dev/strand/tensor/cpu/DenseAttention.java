package dev.strand.tensor.cpu;

import dev.strand.tensor.DropoutMask;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dense scaled-dot-product attention on the CPU, forward and backward, one (batch, head) at a
 * time: the scores of a block of query rows live in a per-thread scratch buffer that stays in
 * cache, so the [B, H, T, S] weights are never allocated. Each product is a {@link Gemm} call on
 * the arrays through their strides (the head-split views need no copy).
 *
 * <p>Forward, per block of rows: P = softmax(Q·Kᵀ·scale + bias [+ causal mask]); O = P·V.
 * Training may keep P (in a [B, H, T, S] tensor the caller owns) for the backward pass; else
 * backward recomputes P the same way. Then dP = dO·Vᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P))·scale,
 * dQ = dS·K, dK += dSᵀ·Q and dV += Pᵀ·dO. A block holds all T rows when T·S fits {@link #budget}
 * floats, else as many as fit (at least {@link #MIN_ROWS}).
 *
 * <p>Operands are described by {@link Operand}: an array, an offset per (batch, head) and strides.
 */
final class DenseAttention {
    private DenseAttention() {}

    /** Score-block floats per buffer: 128 Ki (512 KiB) keeps a 302-token quickstart head in one block. */
    static int budget = 1 << 17;
    static final int MIN_ROWS = 64;

    /**
     * A [B, H, rows, cols] tensor (or a bias broadcast to [B, H, T, S]) as an array and strides:
     * element (b, h, i, j) is {@code data[offset + b*sb + h*sh + i*rs + j*cs]}.
     */
    record Operand(float[] data, int offset, int sb, int sh, int rs, int cs) {
        int at(int b, int h) {
            return offset + b * sb + h * sh;
        }
    }

    /** The problem's sizes and settings; queries sit at the last T of S positions for the causal mask. */
    record Shape(int batch, int heads, int queries, int keys, int headDim, boolean causal, float scale) {
        /** Rows per block for this shape. */
        int blockRows() {
            return (long) queries * keys <= budget ? queries : Math.min(queries, Math.max(MIN_ROWS, budget / keys));
        }
    }

    private static final class Scratch {
        float[] p = new float[0], dp = new float[0], acc = new float[0];
    }
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * out [B, H, T, hd] (contiguous, written) = attention(q, k, v); bias may be null. With
     * {@code keep} (contiguous [B, H, T, S]) the weights are written there for the backward pass,
     * which then need not recompute them; without, they live in the scratch buffer only. A
     * dropout mask (only with {@code keep}, which holds the weights before it) drops out the
     * weights that multiply v, as {@code Tensor.dropout} would the whole [B, H, T, S] tensor.
     */
    static void forward(Shape s, Operand q, Operand k, Operand v, Operand bias, float[] out, float[] keep, DropoutMask dropout, boolean vector) {
        if (dropout != null && keep == null) throw new IllegalArgumentException("attention dropout needs the weights kept");
        int t = s.queries(), keys = s.keys(), hd = s.headDim(), rows = keep != null ? t : s.blockRows();
        Parallel.forEach(s.batch() * s.heads(), task -> {
            int b = task / s.heads(), h = task % s.heads();
            float[] scratch = scratch(keep == null || dropout != null ? rows * keys : 0).p;   // P, or P dropped out
            float[] p = keep != null ? keep : scratch;
            for (int t0 = 0; t0 < t; t0 += rows) {
                int n = Math.min(rows, t - t0), po = keep != null ? (task * t + t0) * keys : 0;
                weights(s, b, h, t0, n, q, k, bias, p, po, vector);                                                     // P [n, S]
                float[] pv = p;
                int pvo = po;
                if (dropout != null) {                                                                                   // dropout(P) [n, S]
                    RandomKernels.dropoutRange(p, po, scratch, 0, n * keys, po, dropout.seed(), dropout.counter(), dropout.p());
                    pv = scratch;
                    pvo = 0;
                }
                multiply(n, hd, keys, pv, pvo, keys, 1, v.data(), v.at(b, h), v.rs(), v.cs(), out, (task * t + t0) * hd, hd);   // [n, hd] = P·V
            }
        });
    }

    /**
     * The gradients of {@link #forward} for gOut [B, H, T, hd], written into contiguous gq
     * [B, H, T, hd] and gk, gv [B, H, S, hd]; {@code kept} is the forward's weights or null
     * (then recomputed block by block). With the forward's dropout mask (weights kept), dV reads
     * the dropped-out weights and dP passes back through the same mask.
     */
    static void backward(Shape s, Operand q, Operand k, Operand v, Operand bias, Operand gOut, float[] kept, DropoutMask dropout,
                         float[] gq, float[] gk, float[] gv, boolean vector) {
        if (dropout != null && kept == null) throw new IllegalArgumentException("attention dropout needs the weights kept");
        int t = s.queries(), keys = s.keys(), hd = s.headDim(), rows = s.blockRows();
        Parallel.forEach(s.batch() * s.heads(), task -> {
            int b = task / s.heads(), h = task % s.heads();
            int qo = q.at(b, h), go = gOut.at(b, h), kvOut = task * keys * hd;
            Scratch w = scratch(rows * keys);
            if (w.acc.length < keys * hd) w.acc = new float[keys * hd];
            for (int t0 = 0; t0 < t; t0 += rows) {
                int n = Math.min(rows, t - t0);
                float[] p = kept != null ? kept : w.p, ds = w.dp;
                int po = kept != null ? (task * t + t0) * keys : 0;
                if (kept == null) weights(s, b, h, t0, n, q, k, bias, p, po, vector);                                    // P  [n, S]
                float[] pv = p;                                                                                          // what multiplied V
                int pvo = po;
                multiply(n, keys, hd, gOut.data(), go + t0 * gOut.rs(), gOut.rs(), gOut.cs(),
                        v.data(), v.at(b, h), v.cs(), v.rs(), ds, 0, keys);                                            // dP [n, S] = dO·Vᵀ
                if (dropout != null) {
                    pv = w.p;
                    pvo = 0;
                    RandomKernels.dropoutRange(p, po, pv, 0, n * keys, po, dropout.seed(), dropout.counter(), dropout.p());   // dropout(P)
                    RandomKernels.dropoutRange(ds, 0, ds, 0, n * keys, po, dropout.seed(), dropout.counter(), dropout.p());   // dP through the mask
                }
                for (int i = 0; i < n; i++) {
                    NormKernels.scaledSoftmaxBackwardRow(p, po + i * keys, ds, i * keys, ds, i * keys, keys, s.scale(), vector);   // dS·scale [n, S]
                }
                multiply(n, hd, keys, ds, 0, keys, 1, k.data(), k.at(b, h), k.rs(), k.cs(), gq, (task * t + t0) * hd, hd);   // dQ [n, hd] = dS·K
                // dK = dSᵀ·Q and dV = Pᵀ·dO, summed over the row blocks.
                accumulate(t0 == 0, keys, hd, n, ds, 0, 1, keys, q.data(), qo + t0 * q.rs(), q.rs(), q.cs(), gk, kvOut, w.acc);
                accumulate(t0 == 0, keys, hd, n, pv, pvo, 1, keys, gOut.data(), go + t0 * gOut.rs(), gOut.rs(), gOut.cs(), gv, kvOut, w.acc);
            }
        });
    }

    /** P [n, S] at {@code po} for query rows t0 … t0+n−1 of (b, h): scores scaled, biased, causally masked, softmaxed in place. */
    private static void weights(Shape s, int b, int h, int t0, int n, Operand q, Operand k, Operand bias, float[] p, int po, boolean vector) {
        int keys = s.keys();
        multiply(n, keys, s.headDim(), q.data(), q.at(b, h) + t0 * q.rs(), q.rs(), q.cs(),
                k.data(), k.at(b, h), k.cs(), k.rs(), p, po, keys);                                          // [n, S] = Q·Kᵀ
        for (int i = 0; i < n; i++) {
            int row = po + i * keys;
            // Without a bias the softmax applies a positive scale in its own pass; a bias is added to scaled scores.
            float softmaxScale = s.scale();
            if (bias != null || !(softmaxScale > 0)) {
                scaleAndAdd(p, row, keys, s.scale(), bias, bias == null ? 0 : bias.at(b, h) + (t0 + i) * bias.rs(), vector);
                softmaxScale = 1f;
            }
            if (s.causal()) {
                int visible = keys - s.queries() + t0 + i + 1;                                                // keys 0 … S − T + t
                if (visible < keys) Arrays.fill(p, row + Math.max(0, visible), row + keys, Float.NEGATIVE_INFINITY);
            }
            NormKernels.scaledSoftmaxRow(p, row, p, row, keys, softmaxScale, vector);
        }
    }

    /** p[po … po+n−1] = p·scale + the bias row at {@code bo} (read with the bias's key stride), or p·scale without a bias. */
    private static void scaleAndAdd(float[] p, int po, int n, float scale, Operand bias, int bo, boolean vector) {
        float[] ba = bias == null ? null : bias.data();
        int bs = bias == null ? 0 : bias.cs(), j = 0;
        if (vector && (bias == null || bs == 1)) {
            VectorSpecies<Float> sp = Simd.SPECIES;
            for (; j <= n - sp.length(); j += sp.length()) {
                FloatVector scaled = FloatVector.fromArray(sp, p, po + j).mul(scale);
                (ba == null ? scaled : scaled.add(FloatVector.fromArray(sp, ba, bo + j))).intoArray(p, po + j);
            }
        }
        for (; j < n; j++) p[po + j] = p[po + j] * scale + (ba == null ? 0f : ba[bo + j * bs]);
    }

    /** C [m, n] (row stride ldc) = A [m, k] · B [k, n], each given by offset and (row, column) strides. */
    private static void multiply(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                                 float[] c, int co, int ldc) {
        Gemm.multiply(1, m, n, k, a, new int[] {ao}, ars, acs, b, new int[] {bo}, brs, bcs, c, new int[] {co}, ldc);
    }

    /** C [m, n] at co (contiguous) = A·B when {@code first}, else += A·B (through {@code tmp}). */
    private static void accumulate(boolean first, int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                                   float[] c, int co, float[] tmp) {
        if (first) {
            multiply(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, n);
            return;
        }
        multiply(m, n, k, a, ao, ars, acs, b, bo, brs, bcs, tmp, 0, n);
        for (int i = 0; i < m * n; i++) c[co + i] += tmp[i];
    }

    private static Scratch scratch(int floats) {
        Scratch w = SCRATCH.get();
        if (w.p.length < floats) {
            w.p = new float[floats];
            w.dp = new float[floats];
        }
        return w;
    }
}

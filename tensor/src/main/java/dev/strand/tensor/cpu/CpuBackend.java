package dev.strand.tensor.cpu;

import dev.strand.tensor.Backend;
import dev.strand.tensor.BinaryOp;
import dev.strand.tensor.BlockPattern;
import dev.strand.tensor.BlockSparseKernel;
import dev.strand.tensor.DType;
import dev.strand.tensor.Device;
import dev.strand.tensor.DropoutMask;
import dev.strand.tensor.ReduceOp;
import dev.strand.tensor.Shapes;
import dev.strand.tensor.Storage;
import dev.strand.tensor.Tensor;
import dev.strand.tensor.UnaryOp;

/**
 * The CPU backend: heap storage and Vector API kernels split across cores by {@link Parallel}.
 * Each method maps tensors (views) to the arrays, offsets and strides its kernel takes.
 * {@link #scalar()} gives the same backend with every vector kernel replaced by its scalar twin,
 * which the tests use as the reference.
 */
public final class CpuBackend implements Backend {
    /** The backend all CPU tensors use: vector kernels when {@link Simd#ENABLED}. */
    public static final CpuBackend INSTANCE = new CpuBackend(Simd.ENABLED);
    private static final CpuBackend SCALAR = new CpuBackend(false);

    /** Products with at most this many rows per batch go through {@link Gemv}. */
    static final int GEMV_ROWS = 2;

    private final boolean vector;

    private CpuBackend(boolean vector) {
        this.vector = vector;
    }

    /** The scalar-twin backend (same storage, plain loops), for comparisons. */
    public static CpuBackend scalar() {
        return SCALAR;
    }

    /** True if this instance runs the vector kernels. */
    public boolean vectorized() {
        return vector;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    static float[] f(Tensor t) {
        return ((CpuStorage) t.storage()).floats;
    }

    static int[] ints(Tensor t) {
        return ((CpuStorage) t.storage()).ints;
    }

    /** t itself if it is contiguous from element 0 of its storage, else such a copy. */
    static Tensor dense(Tensor t) {
        return t.isContiguous() && t.offset() == 0 ? t : t.copy();
    }

    @Override
    public Storage allocate(DType dtype, int size) {
        return dtype == DType.FLOAT32 ? new CpuStorage(new float[size]) : new CpuStorage(new int[size]);
    }

    @Override
    public Storage upload(float[] data) {
        return new CpuStorage(data.clone());
    }

    @Override
    public Storage upload(int[] data) {
        return new CpuStorage(data.clone());
    }

    @Override
    public float[] downloadFloats(Tensor t) {
        if (t.isContiguous()) return java.util.Arrays.copyOfRange(f(t), t.offset(), t.offset() + t.numel());
        Tensor c = Tensor.zeros(Device.CPU, DType.FLOAT32, t.shape());
        unary(UnaryOp.IDENTITY, t, c);
        return f(c);
    }

    @Override
    public int[] downloadInts(Tensor t) {
        if (t.isContiguous()) return java.util.Arrays.copyOfRange(ints(t), t.offset(), t.offset() + t.numel());
        Tensor c = Tensor.zeros(Device.CPU, DType.INT32, t.shape());
        unary(UnaryOp.IDENTITY, t, c);
        return ints(c);
    }

    @Override
    public void fill(Tensor out, float value) {
        float[] o = f(out);
        StridedPlan plan = StridedPlan.of(out);
        int os = plan.innerStride(0);
        plan.forEachRow((pos, n) -> {
            if (os == 1) java.util.Arrays.fill(o, pos[0], pos[0] + n, value);
            else for (int i = 0; i < n; i++) o[pos[0] + i * os] = value;
        });
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        StridedPlan plan = StridedPlan.of(out, x);
        int os = plan.innerStride(0), xs = plan.innerStride(1);
        if (x.dtype() == DType.INT32) { // only IDENTITY reaches here for ints (copying index views)
            int[] xi = ints(x), oi = ints(out);
            plan.forEachRow((pos, n) -> {
                for (int i = 0; i < n; i++) oi[pos[0] + i * os] = xi[pos[1] + i * xs];
            });
            return;
        }
        float[] xa = f(x), o = f(out);
        if (ElementwiseKernels.isActivation(op) && os == 1 && xs == 1) {   // a lambda of its own: see ElementwiseKernels.activation
            plan.forEachRow((pos, n) -> ElementwiseKernels.activation(op, xa, pos[1], o, pos[0], n, vector));
            return;
        }
        plan.forEachRow((pos, n) -> ElementwiseKernels.unary(op, xa, pos[1], xs, o, pos[0], os, n, vector));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        StridedPlan plan = StridedPlan.of(out, a, b);
        int os = plan.innerStride(0), as = plan.innerStride(1), bs = plan.innerStride(2);
        float[] aa = f(a), ba = f(b), o = f(out);
        if (ElementwiseKernels.isActivationBackward(op) && os == 1 && as == 1 && bs == 1) {   // see ElementwiseKernels.activation
            plan.forEachRow((pos, n) -> ElementwiseKernels.activationBackward(op, aa, pos[1], ba, pos[2], o, pos[0], n, vector));
            return;
        }
        plan.forEachRow((pos, n) -> ElementwiseKernels.binary(op, aa, pos[1], as, ba, pos[2], bs, o, pos[0], os, n, vector));
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        StridedPlan plan = StridedPlan.of(out, cond, a, b);
        int os = plan.innerStride(0), cs = plan.innerStride(1), as = plan.innerStride(2), bs = plan.innerStride(3);
        float[] c = f(cond), aa = f(a), ba = f(b), o = f(out);
        plan.forEachRow((pos, n) -> ElementwiseKernels.where(c, pos[1], cs, aa, pos[2], as, ba, pos[3], bs, o, pos[0], os, n, vector));
    }

    @Override
    public void cast(Tensor x, Tensor out) {
        if (x.dtype() == DType.INT32) {
            int[] v = downloadInts(x);
            float[] o = f(out);
            for (int i = 0; i < v.length; i++) o[out.offset() + i] = v[i];
        } else {
            float[] v = downloadFloats(x);
            int[] o = ints(out);
            for (int i = 0; i < v.length; i++) o[out.offset() + i] = (int) v[i];
        }
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int dim, Tensor out) {
        Tensor c = x.contiguous();
        int[] s = c.shape();
        int outer = Shapes.product(s, 0, dim), inner = Shapes.product(s, dim + 1, s.length);
        boolean ints = op == ReduceOp.ARGMAX;
        ReduceKernels.reduce(op, f(c), c.offset(), outer, s[dim], inner, ints ? null : f(out), ints ? ints(out) : null, vector);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        int[] as = a.shape(), ast = a.strides(), bst = b.strides();
        int r = as.length;
        int m = as[r - 2], k = as[r - 1], n = b.shape()[r - 1];
        int batch = Shapes.product(as, 0, r - 2);
        int[] aOff = new int[batch], bOff = new int[batch], cOff = new int[batch];
        int[] idx = new int[r - 2];
        for (int bt = 0; bt < batch; bt++) {
            int ao = a.offset(), bo = b.offset();
            for (int d = 0; d < r - 2; d++) {
                ao += idx[d] * ast[d];
                bo += idx[d] * bst[d];
            }
            aOff[bt] = ao;
            bOff[bt] = bo;
            cOff[bt] = bt * m * n;
            for (int d = r - 3; d >= 0; d--) {
                if (++idx[d] < as[d]) break;
                idx[d] = 0;
            }
        }
        if (m <= GEMV_ROWS && vector) {
            // A few rows (generation with a KV cache): stream B once per row instead of packing it.
            float[] af = f(a), bf = f(b), cf = f(out);
            for (int bt = 0; bt < batch; bt++) {
                for (int i = 0; i < m; i++) {
                    Gemv.multiply(n, k, af, aOff[bt] + i * ast[r - 2], ast[r - 1], bf, bOff[bt], bst[r - 2], bst[r - 1], cf, cOff[bt] + i * n, true);
                }
            }
        } else if (vector) {
            Gemm.multiply(batch, m, n, k, f(a), aOff, ast[r - 2], ast[r - 1], f(b), bOff, bst[r - 2], bst[r - 1], f(out), cOff, n);
        } else {
            Gemm.multiplyScalar(batch, m, n, k, f(a), aOff, ast[r - 2], ast[r - 1], f(b), bOff, bst[r - 2], bst[r - 1], f(out), cOff, n);
        }
    }

    /** Runs a row kernel over dim {@code dim} by moving it last (a copy only when it is not last). */
    private interface RowKernel {
        void run(int row, int n);
    }

    private static void forEachRow(int rows, int n, RowKernel k) {
        Parallel.forRange(rows, Math.max(1, (1 << 14) / Math.max(1, n)), (s, e) -> {
            for (int r = s; r < e; r++) k.run(r, n);
        });
    }

    @Override
    public void softmax(Tensor x, int dim, boolean log, Tensor out) {
        int last = x.dim() - 1;
        Tensor xc = x.transpose(dim, last).contiguous();
        Tensor oc = dim == last ? out : Tensor.zeros(xc.shape());
        float[] xa = f(xc), oa = f(oc);
        int n = xc.size(last), xo = xc.offset(), oo = oc.offset();
        forEachRow(n == 0 ? 0 : xc.numel() / n, n, (row, len) ->
                NormKernels.softmaxRow(xa, xo + row * len, oa, oo + row * len, len, log, vector));
        if (dim != last) out.copyFrom(oc.transpose(dim, last));
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gy, int dim, boolean log, Tensor gx) {
        int last = y.dim() - 1;
        Tensor yc = y.transpose(dim, last).contiguous(), gc = gy.transpose(dim, last).contiguous();
        Tensor xc = dim == last ? gx : Tensor.zeros(yc.shape());
        float[] ya = f(yc), ga = f(gc), xa = f(xc);
        int n = yc.size(last), yo = yc.offset(), go = gc.offset(), xo = xc.offset();
        forEachRow(n == 0 ? 0 : yc.numel() / n, n, (row, len) ->
                NormKernels.softmaxBackwardRow(ya, yo + row * len, ga, go + row * len, xa, xo + row * len, len, log, vector));
        if (dim != last) gx.copyFrom(xc.transpose(dim, last));
    }

    @Override
    public void rotateHalf(Tensor x, Tensor cos, Tensor sin, Tensor out) {
        // One pass over the halves: operands out₁, out₂, x₁, x₂, cos, sin, each [..., T, D/2].
        int half = x.size(-1) / 2;
        Tensor c = dense(cos), s = dense(sin);
        StridedPlan plan = StridedPlan.of(out.narrow(-1, 0, half), out.narrow(-1, half, half), x.narrow(-1, 0, half), x.narrow(-1, half, half), c, s);
        int os = plan.innerStride(0), xs = plan.innerStride(2), ts = plan.innerStride(4);   // the halves share strides, so do the tables
        float[] o = f(out), xa = f(x), ca = f(c), sa = f(s);
        plan.forEachRow((pos, n) -> ElementwiseKernels.rotateHalf(xa, pos[2], pos[3], xs, ca, pos[4], sa, pos[5], ts, o, pos[0], pos[1], os, n, vector));
    }

    // Dense attention: DenseAttention's per-head blocks, the [B, H, T, S] weights never allocated.

    @Override
    public void attention(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale, Tensor out) {
        DenseAttention.forward(attentionShape(q, k, causal, scale), operand(q), operand(k), operand(v), biasOperand(bias, q, k), f(out), null, null, vector);
    }

    @Override
    public void attentionKeepingWeights(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale, DropoutMask dropout,
                                        Tensor out, Tensor weights) {
        DenseAttention.forward(attentionShape(q, k, causal, scale), operand(q), operand(k), operand(v), biasOperand(bias, q, k), f(out), f(weights),
                dropout, vector);
    }

    @Override
    public void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale, Tensor gOut, Tensor weights,
                                  DropoutMask dropout, Tensor gq, Tensor gk, Tensor gv) {
        DenseAttention.backward(attentionShape(q, k, causal, scale), operand(q), operand(k), operand(v), biasOperand(bias, q, k), operand(gOut),
                weights == null ? null : f(dense(weights)), dropout, f(gq), f(gk), f(gv), vector);
    }

    private static DenseAttention.Shape attentionShape(Tensor q, Tensor k, boolean causal, float scale) {
        return new DenseAttention.Shape(q.size(0), q.size(1), q.size(2), k.size(2), q.size(3), causal, scale);
    }

    /** A 4-d tensor as array, offset and strides. */
    private static DenseAttention.Operand operand(Tensor t) {
        int[] st = t.strides();
        return new DenseAttention.Operand(f(t), t.offset(), st[0], st[1], st[2], st[3]);
    }

    /** The bias broadcast to [B, H, T, S] (a view: broadcast dims get stride 0), or null. */
    private static DenseAttention.Operand biasOperand(Tensor bias, Tensor q, Tensor k) {
        return bias == null ? null : operand(bias.expand(q.size(0), q.size(1), q.size(2), k.size(2)));
    }

    // Block-sparse attention: BlockSparseKernel's algorithm on this backend's arrays, tiles and threads.

    private BlockSparseKernel.Ops blockOps() {
        return vector ? BlockSparseOps.INSTANCE : BlockSparseKernel.SCALAR;
    }

    private static BlockSparseKernel.Problem problem(Tensor q, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale) {
        return BlockSparseKernel.Problem.of(q, pattern, keyPadding == null ? null : f(dense(keyPadding.toFloat())), slopes, scale);
    }

    @Override
    public void blockSparseAttention(Tensor q, Tensor k, Tensor v, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale,
                                     Tensor out, Tensor logSumExp) {
        BlockSparseKernel.forward(problem(q, pattern, keyPadding, slopes, scale), f(dense(q)), f(dense(k)), f(dense(v)), f(out), f(logSumExp),
                blockOps(), Parallel::forEach);
    }

    @Override
    public void blockSparseAttentionBackward(Tensor q, Tensor k, Tensor v, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale,
                                             Tensor out, Tensor logSumExp, Tensor gOut, Tensor gq, Tensor gk, Tensor gv) {
        BlockSparseKernel.backward(problem(q, pattern, keyPadding, slopes, scale), f(dense(q)), f(dense(k)), f(dense(v)), f(dense(out)),
                f(dense(logSumExp)), f(dense(gOut)), f(gq), f(gk), f(gv), blockOps(), Parallel::forEach);
    }

    @Override
    public void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out, Tensor mean, Tensor rstd) {
        Tensor xc = x.contiguous();
        float[] xa = f(xc), oa = f(out), ma = f(mean), ra = f(rstd);
        float[] gw = gamma == null ? null : f(dense(gamma)), bw = beta == null ? null : f(dense(beta));
        int n = x.size(-1), xo = xc.offset();
        forEachRow(n == 0 ? 0 : x.numel() / n, n, (row, len) -> {
            float[] stats = new float[2];
            NormKernels.layerNormRow(xa, xo + row * len, gw, bw, eps, oa, row * len, len, stats, 0, vector);
            ma[row] = stats[0];
            ra[row] = stats[1];
        });
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor rstd, Tensor gy,
                                  Tensor gx, Tensor ggamma, Tensor gbeta) {
        Tensor xc = x.contiguous(), gc = gy.contiguous();
        float[] xa = f(xc), ga = f(gc), gxa = f(gx), ma = f(mean.contiguous()), ra = f(rstd.contiguous());
        float[] g = gamma == null ? null : gamma.contiguous().toFloatArray();
        int n = x.size(-1), rows = n == 0 ? 0 : x.numel() / n, xo = xc.offset(), go = gc.offset();
        // Each chunk sums its own gamma/beta gradients; the chunks are added at the end (no races).
        int chunks = Math.max(1, Math.min(rows, Parallel.threads() * 4));
        int per = (rows + chunks - 1) / Math.max(1, chunks);
        float[][] gg = new float[chunks][], gb = new float[chunks][];
        Parallel.forEach(chunks, c -> {
            float[] lg = ggamma == null ? null : new float[n], lb = gbeta == null ? null : new float[n];
            for (int row = c * per; row < Math.min(rows, (c + 1) * per); row++) {
                NormKernels.layerNormBackwardRow(xa, xo + row * n, g, ma[row], ra[row], ga, go + row * n, gxa, gx.offset() + row * n, n, lg, lb, vector);
            }
            gg[c] = lg;
            gb[c] = lb;
        });
        for (int c = 0; c < chunks; c++) {
            if (ggamma != null) ggamma.addInPlace(Tensor.of(gg[c], n));
            if (gbeta != null) gbeta.addInPlace(Tensor.of(gb[c], n));
        }
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        Tensor xc = x.contiguous();
        int[] s = xc.shape();
        int outer = Shapes.product(s, 0, dim), inner = Shapes.product(s, dim + 1, s.length);
        Object xa = x.dtype() == DType.FLOAT32 ? f(xc) : ints(xc);
        Object oa = x.dtype() == DType.FLOAT32 ? f(out) : ints(out);
        IndexKernels.select(xa, xc.offset(), outer, s[dim], inner, index.toIntArray(), oa);
    }

    @Override
    public void indexAdd(Tensor out, int dim, Tensor index, Tensor src) {
        Tensor target = dense(out);
        int[] s = target.shape();
        int outer = Shapes.product(s, 0, dim), inner = Shapes.product(s, dim + 1, s.length);
        IndexKernels.add(f(target), outer, s[dim], inner, index.toIntArray(), f(dense(src)), vector);
        if (target != out) out.copyFrom(target);
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        Tensor xc = dense(x);
        IndexKernels.gatherOrScatter(false, f(xc), xc.shape(), dim, index.toIntArray(), index.shape(), f(out));
    }

    @Override
    public void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        Tensor target = dense(out);
        IndexKernels.gatherOrScatter(true, f(target), target.shape(), dim, index.toIntArray(), index.shape(), src.toFloatArray());
        if (target != out) out.copyFrom(target);
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                         float decoupledDecay, float l2Decay, float bc1, float bc2) {
        float[] p = f(param), g = f(dense(grad)), ma = f(m), va = f(v);
        int po = param.offset(), n = param.numel();
        float stepSize = lr / bc1, invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2)), shrink = 1f - lr * decoupledDecay;
        Parallel.forRange(n, 1 << 14, (s, e) -> {
            for (int i = s; i < e; i++) {
                float pi = p[po + i] * shrink;
                float gi = g[i] + l2Decay * pi;
                float mi = beta1 * ma[i] + (1f - beta1) * gi;
                float vi = beta2 * va[i] + (1f - beta2) * gi * gi;
                ma[i] = mi;
                va[i] = vi;
                p[po + i] = pi - stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBc2 + eps);
            }
        });
    }

    @Override
    public void dropout(Tensor x, long seed, long counter, float p, Tensor out) {
        Tensor xc = x.contiguous();
        RandomKernels.dropout(f(xc), xc.offset(), f(out), out.offset(), out.numel(), seed, counter, p);
    }

    @Override
    public void random(Tensor out, long seed, long counter, boolean normal, float a, float b) {
        if (normal) RandomKernels.normal(f(out), out.offset(), out.numel(), seed, counter, a, b);
        else RandomKernels.uniform(f(out), out.offset(), out.numel(), seed, counter, a, b);
    }
}

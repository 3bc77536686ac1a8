package dev.strand.opencl;

import static org.jocl.CL.*;

import dev.strand.tensor.Backend;
import dev.strand.tensor.BinaryOp;
import dev.strand.tensor.BlockPattern;
import dev.strand.tensor.DType;
import dev.strand.tensor.Device;
import dev.strand.tensor.ReduceOp;
import dev.strand.tensor.Shapes;
import dev.strand.tensor.Storage;
import dev.strand.tensor.Tensor;
import dev.strand.tensor.UnaryOp;
import java.util.concurrent.atomic.LongAdder;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * The kernels of one OpenCL device: storage in pooled device buffers, every op one or two OpenCL C
 * kernels on one in-order queue. Data crosses to the host only when asked for (downloads, and
 * the index lists that scatter-adds group on the host). Results match the CPU backend to float
 * rounding; dropout masks, uniform numbers and scatter-add sums match it bit for bit.
 */
public final class OpenClBackend implements Backend, AutoCloseable {
    /** Work-group size of the row kernels (softmax, layer norm, row reductions): a power of two. */
    private static final int ROW_LOCAL = 128;
    /** Work-group size of the one-item-per-element kernels. */
    private static final int LOCAL = 128;
    /** attention.cl's query rows per work group (and keys per staged tile; blocksparse.cl's most rows) and largest head dim. */
    static final int ATT_ROWS = 32, MAX_HEAD_DIM = 128;
    /** The sizes above, handed to the kernel compiler so that host and kernels cannot disagree. */
    static final String BUILD_OPTIONS = "-DROW_LOCAL=" + ROW_LOCAL + " -DATT_ROWS=" + ATT_ROWS + " -DATT_KEYS=" + ATT_ROWS;

    private final ClDeviceInfo info;
    private final Device device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final Programs programs;
    private final BufferPool pool;
    private final MatmulTiling tiling;
    private final BlockSparseLaunches blockSparse;
    private final LongAdder floatReads = new LongAdder(), intReads = new LongAdder(), writes = new LongAdder();

    /**
     * A backend for {@code info}'s device with a memory budget of {@code budgetBytes}. Made once per
     * device by {@link OpenClBackendProvider}: reach it through {@code Backends.of(device)}.
     */
    @SuppressWarnings("deprecation") // clCreateCommandQueue: the OpenCL 1.2 call, which every driver has
    OpenClBackend(ClDeviceInfo info, long budgetBytes) {
        this.info = info;
        this.device = new Device("opencl", info.index());
        this.context = clCreateContext(null, 1, new org.jocl.cl_device_id[] {info.id()}, null, null, null);
        this.queue = clCreateCommandQueue(context, info.id(), 0, null);
        String label = device + " (" + info.name() + ")";
        this.programs = new Programs(context, info.id(), label, BUILD_OPTIONS);
        this.pool = new BufferPool(context, label, budgetBytes, info.maxAllocBytes());
        this.tiling = MatmulTiling.forDevice(info);
        this.blockSparse = new BlockSparseLaunches(programs, queue, pool, new BlockPatternCache(this::upload, this::upload), t -> t.to(device));
    }

    /** The device this backend runs on. */
    public ClDeviceInfo info() {
        return info;
    }

    /** Memory held by live tensors, idle in the pool, the budget, and device buffers created so far. */
    public record MemoryStats(long inUseBytes, long pooledBytes, long budgetBytes, long buffersCreated) {}

    public MemoryStats memory() {
        long[] s = pool.stats();
        return new MemoryStats(s[0], s[1], s[2], s[3]);
    }

    /**
     * Caps the device memory this backend may hold (starts at the device's global memory, or
     * {@code -Dstrand.opencl.memory=MiB}); beyond it allocations fail with {@link OutOfDeviceMemoryException}.
     */
    public void setMemoryBudget(long bytes) {
        pool.setBudget(bytes);
    }

    /**
     * Asks for a garbage collection, so that dead tensors return their buffers, after every
     * {@code bytes} the pool hands out: 0 (the default, or {@code -Dstrand.opencl.collect-every=MiB})
     * for an eighth of the budget, {@link Long#MAX_VALUE} for only when the budget is reached.
     */
    public void setCollectEvery(long bytes) {
        pool.setCollectEvery(bytes);
    }

    /**
     * Blocking copies between host and device so far: reads of float tensors (loss values,
     * metrics, checkpoints), reads of int tensors (index lists, which scatter-adds group on the
     * host) and writes. Each waits for the queue, so a training step should make few.
     */
    public record Transfers(long floatReads, long intReads, long writes) {}

    public Transfers transfers() {
        return new Transfers(floatReads.sum(), intReads.sum(), writes.sum());
    }

    /**
     * Returns the device memory of tensors that are no longer reachable (after a garbage
     * collection) and frees the pool's idle buffers; returns the bytes freed. Live tensors keep theirs.
     */
    public long releaseUnusedMemory() {
        return pool.releaseUnused();
    }

    /** Waits until the device has finished everything enqueued (for timing). */
    public void finish() {
        clFinish(queue);
    }

    /** Frees every device buffer, kernel and the context; this backend's tensors are unusable afterwards. */
    @Override
    public void close() {
        clFinish(queue);
        programs.close();
        pool.close();
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }

    @Override
    public Device device() {
        return device;
    }

    // ---------------------------------------------------------------- storage

    private ClStorage newStorage(DType dtype, int size) {
        ClStorage s = new ClStorage(device, dtype, size, pool.acquire((long) Math.max(size, 1) * dtype.bytes()));
        pool.watch(s);
        return s;
    }

    private static cl_mem mem(Tensor t) {
        return ((ClStorage) t.storage()).mem();
    }

    @Override
    public Storage allocate(DType dtype, int size) {
        ClStorage s = newStorage(dtype, size);
        clEnqueueFillBuffer(queue, s.mem(), Pointer.to(new int[] {0}), Sizeof.cl_int, 0, s.buffer().bytes(), 0, null, null);
        return s;
    }

    @Override
    public Storage upload(float[] data) {
        ClStorage s = newStorage(DType.FLOAT32, data.length);
        write(s.mem(), Pointer.to(data), (long) data.length * Sizeof.cl_float);
        return s;
    }

    @Override
    public Storage upload(int[] data) {
        ClStorage s = newStorage(DType.INT32, data.length);
        write(s.mem(), Pointer.to(data), (long) data.length * Sizeof.cl_int);
        return s;
    }

    @Override
    public float[] downloadFloats(Tensor t) {
        Tensor c = t.contiguous();
        float[] out = new float[c.numel()];
        read(c, Pointer.to(out), Sizeof.cl_float);
        return out;
    }

    @Override
    public int[] downloadInts(Tensor t) {
        Tensor c = t.contiguous();
        int[] out = new int[c.numel()];
        read(c, Pointer.to(out), Sizeof.cl_int);
        return out;
    }

    /** A temporary device copy of {@code data}, for {@link #releaseTemporary} once its kernel is enqueued. */
    private BufferPool.Buffer temporary(int[] data) {
        BufferPool.Buffer b = pool.acquire((long) Math.max(data.length, 1) * Sizeof.cl_int);
        write(b.mem(), Pointer.to(data), (long) data.length * Sizeof.cl_int);
        return b;
    }

    /** A blocking copy of {@code bytes} from the host into {@code mem}; counted in {@link #transfers()}. */
    private void write(cl_mem mem, Pointer data, long bytes) {
        if (bytes == 0) return;
        clEnqueueWriteBuffer(queue, mem, CL_TRUE, 0, bytes, data, 0, null, null);
        writes.increment();
    }

    /** A blocking copy of contiguous {@code c}'s elements (of {@code elementBytes} each) to the host. */
    private void read(Tensor c, Pointer out, int elementBytes) {
        if (c.numel() == 0) return;
        clEnqueueReadBuffer(queue, mem(c), CL_TRUE, (long) c.offset() * elementBytes, (long) c.numel() * elementBytes, out, 0, null, null);
        (c.dtype() == DType.INT32 ? intReads : floatReads).increment();
    }

    private void releaseTemporary(BufferPool.Buffer... buffers) {
        for (BufferPool.Buffer b : buffers) pool.release(b); // in-order queue: later users run after the kernel
    }

    // ---------------------------------------------------------------- launching

    private Kernel kernel(String file, String name) {
        return programs.kernel(file, name);
    }

    /** One work item per element for n elements (nothing for n = 0). */
    private void perElement(Kernel k, long n, Object... args) {
        if (n == 0) return;
        k.launch(queue, new long[] {Kernel.roundUp(n, LOCAL)}, new long[] {LOCAL}, args);
    }

    /** One ROW_LOCAL work group per row. */
    private void perRow(Kernel k, int rows, Object... args) {
        if (rows == 0) return;
        k.launch(queue, new long[] {(long) rows * ROW_LOCAL}, new long[] {ROW_LOCAL}, args);
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void fill(Tensor out, float value) {
        perElement(kernel("elementwise.cl", "fill"), out.numel(), out.numel(), mem(out), value, Layout.of(out));
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        int n = out.numel();
        if (op == UnaryOp.IDENTITY) {
            perElement(kernel("elementwise.cl", "copy_bits"), n, n, mem(out), mem(x), Layout.of(out, x));
        } else {
            perElement(kernel("elementwise.cl", "unary"), n, n, op.ordinal(), mem(out), mem(x), Layout.of(out, x));
        }
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        int n = out.numel();
        perElement(kernel("elementwise.cl", "binary"), n, n, op.ordinal(), mem(out), mem(a), mem(b), Layout.of(out, a, b));
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        int n = out.numel();
        perElement(kernel("elementwise.cl", "where_select"), n, n, mem(out), mem(cond), mem(a), mem(b), Layout.of(out, cond, a, b));
    }

    @Override
    public void cast(Tensor x, Tensor out) {
        int n = out.numel();
        String name = x.dtype() == DType.INT32 ? "int_to_float" : "float_to_int";
        perElement(kernel("elementwise.cl", name), n, n, mem(out), mem(x), Layout.of(out, x));
    }

    // ---------------------------------------------------------------- reductions and products

    @Override
    public void reduce(ReduceOp op, Tensor x, int dim, Tensor out) {
        Tensor c = x.contiguous();
        int[] s = c.shape();
        int outer = Shapes.product(s, 0, dim), d = s[dim], inner = Shapes.product(s, dim + 1, s.length);
        int chunk = op == ReduceOp.ARGMAX ? Math.max(d, 1) : Splits.reductionChunk(outer * inner, d, inner == 1), pieces = Splits.pieces(d, chunk);
        if (pieces == 1) {
            reduceLines(op, outer, d, inner, chunk, d, mem(c), c.offset(), mem(out), out.offset());
            return;
        }
        BufferPool.Buffer partial = pool.acquire((long) outer * pieces * inner * Sizeof.cl_float);   // [outer, pieces, inner]
        reduceLines(op == ReduceOp.MEAN ? ReduceOp.SUM : op, outer, d, inner, chunk, d, mem(c), c.offset(), partial.mem(), 0);
        reduceLines(op, outer, pieces, inner, pieces, d, partial.mem(), 0, mem(out), out.offset());
        releaseTemporary(partial);
    }

    /** One pass of reduce.cl over [outer, d, inner] in pieces of {@code chunk}; MEAN divides by {@code divisor}. */
    private void reduceLines(ReduceOp op, int outer, int d, int inner, int chunk, int divisor, cl_mem x, int xo, cl_mem out, int oo) {
        int pieces = Splits.pieces(d, chunk);
        if (inner == 1) {
            perRow(kernel("reduce.cl", "reduce_rows"), outer * pieces, op.ordinal(), d, chunk, divisor, x, xo, out, oo);
        } else {
            perElement(kernel("reduce.cl", "reduce_cols"), (long) outer * pieces * inner, op.ordinal(), outer, d, inner, chunk, divisor,
                    x, xo, out, oo);
        }
    }

    /** How this device's matrix products are tiled. */
    public MatmulTiling matmulTiling() {
        return tiling;
    }

    @Override
    public String settings() {
        return "tiling=" + tiling;
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        matmul(a, b, out, tiling);
    }

    /** {@link #matmul(Tensor, Tensor, Tensor)} with another tiling (tests run each tiling on one device). */
    void matmul(Tensor a, Tensor b, Tensor out, MatmulTiling tiling) {
        int[] as = a.shape(), ast = a.strides(), bst = b.strides();
        int r = as.length, m = as[r - 2], k = as[r - 1], n = b.shape()[r - 1];
        int batch = Shapes.product(as, 0, r - 2);
        if (m == 0 || n == 0 || batch == 0) return;
        int dims = r - 2, max = 8;
        if (dims > max) throw new IllegalArgumentException("the OpenCL matmul takes at most " + max + " batch dims, got " + a);
        int[] layout = new int[1 + 3 * max];   // the Batch struct of matmul.cl
        layout[0] = dims;
        for (int d = 0; d < dims; d++) {
            layout[1 + d] = as[d];
            layout[1 + max + d] = ast[d];
            layout[1 + 2 * max + d] = bst[d];
        }
        int kSplit = Splits.matmulSliceDepth(m, n, k, batch), splits = Splits.pieces(k, kSplit);
        BufferPool.Buffer partial = splits == 1 ? null : pool.acquire((long) batch * splits * m * n * Sizeof.cl_float);   // [batch, splits, m, n]
        long[] local = tiling.localSize();
        long[] global = {Math.ceilDiv(n, tiling.tileN()) * local[0], Math.ceilDiv(m, tiling.tileM()) * local[1], (long) batch * splits};
        programs.kernel("matmul.cl", "matmul", tiling.buildOptions()).launch(queue, global, local,
                m, n, k, kSplit, splits, mem(a), a.offset(), ast[r - 2], ast[r - 1], mem(b), b.offset(), bst[r - 2], bst[r - 1],
                partial == null ? mem(out) : partial.mem(), partial == null ? out.offset() : 0, layout);
        if (partial == null) return;
        reduceLines(ReduceOp.SUM, batch, splits, m * n, splits, 1, partial.mem(), 0, mem(out), out.offset());
        releaseTemporary(partial);
    }

    // ---------------------------------------------------------------- normalisation

    @Override
    public void softmax(Tensor x, int dim, boolean log, Tensor out) {
        int last = x.dim() - 1;
        Tensor xc = x.transpose(dim, last).contiguous();
        Tensor oc = dim == last ? out : Tensor.zeros(device, DType.FLOAT32, xc.shape());
        int n = xc.size(last);
        perRow(kernel("softmax.cl", "softmax_rows"), n == 0 ? 0 : xc.numel() / n, n, log ? 1 : 0,
                mem(xc), xc.offset(), mem(oc), oc.offset());
        if (dim != last) out.copyFrom(oc.transpose(dim, last));
    }

    @Override
    public void softmaxBackward(Tensor y, Tensor gy, int dim, boolean log, Tensor gx) {
        int last = y.dim() - 1;
        Tensor yc = y.transpose(dim, last).contiguous(), gc = gy.transpose(dim, last).contiguous();
        Tensor xc = dim == last ? gx : Tensor.zeros(device, DType.FLOAT32, yc.shape());
        int n = yc.size(last);
        perRow(kernel("softmax.cl", "softmax_backward_rows"), n == 0 ? 0 : yc.numel() / n, n, log ? 1 : 0,
                mem(yc), yc.offset(), mem(gc), gc.offset(), mem(xc), xc.offset());
        if (dim != last) gx.copyFrom(xc.transpose(dim, last));
    }

    @Override
    public void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out, Tensor mean, Tensor rstd) {
        Tensor xc = x.contiguous();
        Tensor g = gamma == null ? xc : gamma.contiguous(), b = beta == null ? xc : beta.contiguous();
        int n = x.size(-1);
        perRow(kernel("layernorm.cl", "layer_norm_rows"), n == 0 ? 0 : x.numel() / n, n, eps, mem(xc), xc.offset(),
                mem(g), g.offset(), gamma == null ? 0 : 1, mem(b), b.offset(), beta == null ? 0 : 1,
                mem(out), out.offset(), mem(mean), mean.offset(), mem(rstd), rstd.offset());
    }

    @Override
    public void layerNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor rstd, Tensor gy,
                                  Tensor gx, Tensor ggamma, Tensor gbeta) {
        Tensor xc = x.contiguous(), gc = gy.contiguous(), mc = mean.contiguous(), rc = rstd.contiguous();
        Tensor g = gamma == null ? xc : gamma.contiguous();
        int n = x.size(-1), rows = n == 0 ? 0 : x.numel() / n;
        perRow(kernel("layernorm.cl", "layer_norm_backward_rows"), rows, n, mem(xc), xc.offset(), mem(g), g.offset(),
                gamma == null ? 0 : 1, mem(mc), mc.offset(), mem(rc), rc.offset(), mem(gc), gc.offset(), mem(gx), gx.offset());
        if (ggamma == null && gbeta == null) return;
        Tensor wg = ggamma == null ? gx : ggamma, bg = gbeta == null ? gx : gbeta;
        int chunk = Splits.reductionChunk(n, rows, false), pieces = Splits.pieces(rows, chunk);
        // Many rows, few columns: partial sums per piece of rows, [pieces, n] each, added in after.
        BufferPool.Buffer pg = pieces == 1 ? null : pool.acquire((long) pieces * n * Sizeof.cl_float);
        BufferPool.Buffer pb = pieces == 1 ? null : pool.acquire((long) pieces * n * Sizeof.cl_float);
        perElement(kernel("layernorm.cl", "layer_norm_param_grads"), (long) pieces * n, rows, n, chunk, mem(xc), xc.offset(), mem(mc), mc.offset(),
                mem(rc), rc.offset(), mem(gc), gc.offset(), pg == null ? mem(wg) : pg.mem(), pg == null ? wg.offset() : 0, ggamma == null ? 0 : 1,
                pb == null ? mem(bg) : pb.mem(), pb == null ? bg.offset() : 0, gbeta == null ? 0 : 1);
        if (pieces == 1) return;
        if (ggamma != null) perElement(kernel("reduce.cl", "add_column_sums"), n, pieces, n, pg.mem(), 0, mem(ggamma), ggamma.offset());
        if (gbeta != null) perElement(kernel("reduce.cl", "add_column_sums"), n, pieces, n, pb.mem(), 0, mem(gbeta), gbeta.offset());
        releaseTemporary(pg, pb);
    }

    // ---------------------------------------------------------------- indexing

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        Tensor xc = x.contiguous(), ic = index.contiguous();
        int[] s = xc.shape();
        int inner = Shapes.product(s, dim + 1, s.length), total = out.numel();
        perElement(kernel("index.cl", "index_select"), total, total, ic.numel(), s[dim], Math.max(inner, 1),
                mem(xc), xc.offset(), mem(ic), ic.offset(), mem(out), out.offset());
    }

    @Override
    public void indexAdd(Tensor out, int dim, Tensor index, Tensor src) {
        Tensor target = out.contiguous(), sc = src.contiguous();
        int[] s = target.shape();
        int outer = Shapes.product(s, 0, dim), inner = Shapes.product(s, dim + 1, s.length);
        IndexGroups groups = IndexGroups.of(index.toIntArray());
        BufferPool.Buffer t = temporary(groups.targets()), st = temporary(groups.starts()), p = temporary(groups.positions());
        long total = (long) outer * groups.groups() * inner;
        perElement(kernel("index.cl", "index_add"), total, (int) total, groups.groups(), s[dim], index.numel(), Math.max(inner, 1),
                mem(target), target.offset(), mem(sc), sc.offset(), t.mem(), st.mem(), p.mem());
        releaseTemporary(t, st, p);
        if (target != out) out.copyFrom(target);
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        Tensor xc = x.contiguous(), ic = index.contiguous();
        int rank = ic.dim(), max = 8;
        if (rank > max) throw new IllegalArgumentException("the OpenCL gather takes at most " + max + " dims, got " + index);
        int[] shape = new int[2 + 2 * max];   // the GatherShape struct of index.cl
        shape[0] = rank;
        shape[1] = dim;
        int[] is = ic.shape(), xs = Shapes.contiguousStrides(xc.shape());
        for (int d = 0; d < rank; d++) {
            shape[2 + d] = is[d];
            shape[2 + max + d] = xs[d];
        }
        int total = ic.numel();
        perElement(kernel("index.cl", "gather"), total, total, mem(xc), xc.offset(), mem(ic), ic.offset(),
                mem(out), out.offset(), shape);
    }

    @Override
    public void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        Tensor target = out.contiguous(), sc = src.contiguous();
        int[] idx = index.toIntArray(), is = index.shape(), os = Shapes.contiguousStrides(target.shape());
        int[] flat = new int[idx.length], pos = new int[is.length];
        for (int p = 0; p < idx.length; p++) {   // the flat target of each source position, as the CPU computes it
            int q = 0;
            for (int k = 0; k < is.length; k++) q += (k == dim ? idx[p] : pos[k]) * os[k];
            flat[p] = q;
            for (int k = is.length - 1; k >= 0; k--) {
                if (++pos[k] < is[k]) break;
                pos[k] = 0;
            }
        }
        IndexGroups groups = IndexGroups.of(flat);
        BufferPool.Buffer t = temporary(groups.targets()), st = temporary(groups.starts()), p = temporary(groups.positions());
        perElement(kernel("index.cl", "scatter_add"), groups.groups(), groups.groups(), mem(target), target.offset(),
                mem(sc), sc.offset(), t.mem(), st.mem(), p.mem());
        releaseTemporary(t, st, p);
        if (target != out) out.copyFrom(target);
    }

    // ---------------------------------------------------------------- random numbers and optimizers

    @Override
    public void dropout(Tensor x, long seed, long counter, float p, Tensor out) {
        Tensor xc = x.contiguous();
        int n = out.numel();
        float scale = 1f / (1f - p);
        int threshold = Math.round(p * 65536f);
        perElement(kernel("random.cl", "dropout"), (n + 3) / 4, n, mem(xc), xc.offset(), mem(out), out.offset(),
                seed, counter, threshold, scale);
    }

    @Override
    public void random(Tensor out, long seed, long counter, boolean normal, float a, float b) {
        int n = out.numel();
        if (normal) {
            perElement(kernel("random.cl", "normal"), (n + 1) / 2, n, mem(out), out.offset(), seed, counter, a, b);
        } else {
            perElement(kernel("random.cl", "uniform"), n, n, mem(out), out.offset(), seed, counter, a, b);
        }
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                         float decoupledDecay, float l2Decay, float bc1, float bc2) {
        Tensor g = grad.contiguous();
        int n = param.numel();
        float stepSize = lr / bc1, invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2)), shrink = 1f - lr * decoupledDecay;
        perElement(kernel("optim.cl", "adam_step"), n, n, mem(param), param.offset(), mem(g), g.offset(), mem(m), mem(v),
                beta1, beta2, eps, l2Decay, shrink, stepSize, invSqrtBc2);
    }

    // ---------------------------------------------------------------- fused attention

    /**
     * Fused: one kernel that never materialises the scores (FlashAttention's online softmax), built
     * for each head dim up to 128; larger ones take the composed default, as each work item holds a
     * row of q and of out in registers.
     */
    @Override
    public void attention(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale, Tensor out) {
        int b = q.size(0), h = q.size(1), t = q.size(2), s = k.size(2), hd = q.size(3);
        if (hd > MAX_HEAD_DIM) {
            Backend.super.attention(q, k, v, bias, causal, scale, out);
            return;
        }
        int[] biasLayout = new int[5];   // the Bias struct of attention.cl
        Tensor bt = q;
        if (bias != null) {
            bt = bias.expand(b, h, t, s);
            biasLayout[0] = 1;
            System.arraycopy(bt.strides(), 0, biasLayout, 1, 4);
        }
        Tensor qc = q.contiguous(), kc = k.contiguous(), vc = v.contiguous();
        long[] global = {(long) ((t + ATT_ROWS - 1) / ATT_ROWS) * ATT_ROWS, (long) b * h};
        programs.kernel("attention.cl", "attention_forward", "-DHEAD_DIM=" + hd).launch(queue, global, new long[] {ATT_ROWS, 1},
                h, t, s, scale, causal ? 1 : 0, mem(qc), qc.offset(), mem(kc), kc.offset(), mem(vc), vc.offset(),
                mem(bt), bt.offset(), biasLayout, mem(out), out.offset());
    }

    // ---------------------------------------------------------------- block-sparse attention

    /** blocksparse.cl ({@link BlockSparseLaunches}); head dims past {@link #MAX_HEAD_DIM} take the host default. */
    @Override
    public void blockSparseAttention(Tensor q, Tensor k, Tensor v, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale,
                                     Tensor out, Tensor logSumExp) {
        if (BlockSparseLaunches.takes(q.size(3))) blockSparse.forward(q, k, v, pattern, keyPadding, slopes, scale, out, logSumExp);
        else Backend.super.blockSparseAttention(q, k, v, pattern, keyPadding, slopes, scale, out, logSumExp);
    }

    @Override
    public void blockSparseAttentionBackward(Tensor q, Tensor k, Tensor v, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale,
                                             Tensor out, Tensor logSumExp, Tensor gOut, Tensor gq, Tensor gk, Tensor gv) {
        if (BlockSparseLaunches.takes(q.size(3))) blockSparse.backward(q, k, v, pattern, keyPadding, slopes, scale, out, logSumExp, gOut, gq, gk, gv);
        else Backend.super.blockSparseAttentionBackward(q, k, v, pattern, keyPadding, slopes, scale, out, logSumExp, gOut, gq, gk, gv);
    }

    /** Builds a kernel source as if it were file {@code file}, for tests of the build-error message. */
    void buildForTest(String file, String source) {
        programs.buildForTest(file, source);
    }
}

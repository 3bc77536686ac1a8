package dev.strand.opencl;

import dev.strand.tensor.BlockPattern;
import dev.strand.tensor.Storage;
import dev.strand.tensor.Tensor;
import java.util.function.Function;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_mem;

/**
 * blocksparse.cl's kernels as {@link OpenClBackend} launches them: one work group per
 * (batch·head, query block, chunk of its rows), one query row per work item, an online softmax
 * over the keys of the blocks the pattern row lists, staged in local memory a tile at a time. The
 * pattern (and ALiBi slopes) stay on the device between calls ({@link BlockPatternCache}).
 */
final class BlockSparseLaunches {
    private final Programs programs;
    private final cl_command_queue queue;
    private final BufferPool pool;
    private final BlockPatternCache patterns;
    private final Function<Tensor, Tensor> onDevice;

    /** {@code onDevice} moves a tensor to the backend's device. */
    BlockSparseLaunches(Programs programs, cl_command_queue queue, BufferPool pool, BlockPatternCache patterns, Function<Tensor, Tensor> onDevice) {
        this.programs = programs;
        this.queue = queue;
        this.pool = pool;
        this.patterns = patterns;
        this.onDevice = onDevice;
    }

    /**
     * Rows per work group for blocks of {@code blockSize}: the block's rows in as few chunks of at
     * most {@link OpenClBackend#ATT_ROWS} as cover them, split evenly (48 → 2 × 24, 2 → 1 × 2).
     */
    static int rows(int blockSize) {
        return Math.ceilDiv(blockSize, Math.ceilDiv(blockSize, OpenClBackend.ATT_ROWS));
    }

    /** The build options of blocksparse.cl for a head dim and block size. */
    static String options(int headDim, int blockSize) {
        return "-DHEAD_DIM=" + headDim + " -DBSA_ROWS=" + rows(blockSize);
    }

    /** Whether the kernels take this head dim (each work item holds a row in registers). */
    static boolean takes(int headDim) {
        return headDim > 0 && headDim <= OpenClBackend.MAX_HEAD_DIM;
    }

    void forward(Tensor q, Tensor k, Tensor v, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale, Tensor out, Tensor logSumExp) {
        if (q.size(0) == 0) return;
        BlockPatternCache.Entry rows = patterns.rows(pattern);
        Tensor qc = q.contiguous(), kc = k.contiguous(), vc = v.contiguous(), pad = padding(keyPadding, q);
        cl_mem sl = slopes == null ? mem(qc) : ((ClStorage) patterns.slopes(slopes)).mem();
        launch("block_sparse_forward", q, pattern,
                pattern.heads, pattern.length(), pattern.blockSize, scale, mem(qc), qc.offset(), mem(kc), kc.offset(), mem(vc), vc.offset(),
                ((ClStorage) rows.rowStart).mem(), ((ClStorage) rows.keyBlocks).mem(), mem(pad), pad.offset(), keyPadding == null ? 0 : 1,
                sl, slopes == null ? 0 : 1, mem(out), out.offset(), mem(logSumExp), logSumExp.offset());
    }

    /**
     * gq per query row as the forward pass reads the pattern (which also writes rowsum(dO ⊙ O) per
     * row to a temporary), then gk and gv per key row over the query blocks that read its block (the
     * pattern's transpose, built on the host once per pattern), so every gradient row has one
     * writer: no atomics, the same sums every run.
     */
    void backward(Tensor q, Tensor k, Tensor v, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale,
                  Tensor out, Tensor logSumExp, Tensor gOut, Tensor gq, Tensor gk, Tensor gv) {
        if (q.size(0) == 0) return;
        BlockPatternCache.Entry rows = patterns.rows(pattern);
        Storage[] cols = patterns.columns(pattern);
        Tensor qc = q.contiguous(), kc = k.contiguous(), vc = v.contiguous(), pad = padding(keyPadding, q);
        Tensor oc = out.contiguous(), lc = logSumExp.contiguous(), gc = gOut.contiguous();
        cl_mem sl = slopes == null ? mem(qc) : ((ClStorage) patterns.slopes(slopes)).mem();
        int heads = pattern.heads, t = pattern.length(), bs = pattern.blockSize, padded = keyPadding == null ? 0 : 1, alibi = slopes == null ? 0 : 1;
        BufferPool.Buffer delta = pool.acquire((long) q.size(0) * heads * t * Sizeof.cl_float);   // rowsum(dO ⊙ O) [B, H, T]
        launch("block_sparse_backward_q", q, pattern,
                heads, t, bs, scale, mem(qc), qc.offset(), mem(kc), kc.offset(), mem(vc), vc.offset(),
                ((ClStorage) rows.rowStart).mem(), ((ClStorage) rows.keyBlocks).mem(), mem(pad), pad.offset(), padded, sl, alibi,
                mem(oc), oc.offset(), mem(lc), lc.offset(), mem(gc), gc.offset(), delta.mem(), mem(gq), gq.offset());
        launch("block_sparse_backward_kv", q, pattern,
                heads, t, bs, scale, mem(qc), qc.offset(), mem(kc), kc.offset(), mem(vc), vc.offset(),
                ((ClStorage) cols[0]).mem(), ((ClStorage) cols[1]).mem(), mem(pad), pad.offset(), padded, sl, alibi,
                mem(lc), lc.offset(), mem(gc), gc.offset(), delta.mem(), mem(gk), gk.offset(), mem(gv), gv.offset());
        pool.release(delta);   // in-order queue: a later user runs after the kernel
    }

    /** The key padding as contiguous floats on the device, or {@code q} (unread) without one. */
    private Tensor padding(Tensor keyPadding, Tensor q) {
        return keyPadding == null ? q : onDevice.apply(keyPadding).toFloat().contiguous();
    }

    /** One kernel over every (batch·head, block, chunk of the block's rows). */
    private void launch(String name, Tensor q, BlockPattern pattern, Object... args) {
        int rows = rows(pattern.blockSize), chunks = Math.ceilDiv(pattern.blockSize, rows);
        long[] global = {(long) pattern.blocks * chunks * rows, (long) q.size(0) * pattern.heads};
        programs.kernel("blocksparse.cl", name, options(q.size(3), pattern.blockSize)).launch(queue, global, new long[] {rows, 1}, args);
    }

    private static cl_mem mem(Tensor t) {
        return ((ClStorage) t.storage()).mem();
    }
}

package dev.strand.tensor;

/**
 * The kernels of one device. {@link Tensor} validates shapes, dims and dtypes, allocates outputs
 * and then calls exactly one of these; a backend may assume valid arguments. Outputs are passed in
 * (destination-passing), so the same kernels serve fresh results, in-place updates and writes into
 * views (concat writes each part into a narrow view of its output).
 *
 * <p>All tensors handed to one call live on this backend's device. Inputs may be arbitrary
 * strided views; outputs may be views too unless a method says otherwise.
 */
public interface Backend {
    /** The device this backend serves. */
    Device device();

    /** Settings that shape this backend's kernels, for benchmark reports (e.g. "tiling=128x128x16/8x8"); empty when none. */
    default String settings() {
        return "";
    }

    /** A zero-filled buffer of {@code size} elements. */
    Storage allocate(DType dtype, int size);

    /** A buffer holding a copy of {@code data}. */
    Storage upload(float[] data);

    /** A buffer holding a copy of {@code data}. */
    Storage upload(int[] data);

    /** A host copy of a FLOAT32 tensor's elements in row-major logical order. */
    float[] downloadFloats(Tensor t);

    /** A host copy of an INT32 tensor's elements in row-major logical order. */
    int[] downloadInts(Tensor t);

    /** Sets every element of {@code out} to {@code value}. */
    void fill(Tensor out, float value);

    /** out = op(x), with x broadcast to out's shape. IDENTITY copies and also serves INT32. */
    void unary(UnaryOp op, Tensor x, Tensor out);

    /** out = op(a, b), with a and b broadcast to out's shape. */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** out = cond != 0 ? a : b, all three broadcast to out's shape. */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);

    /** Converts between dtypes (float to int truncates toward zero); same shapes. */
    void cast(Tensor x, Tensor out);

    /**
     * Reduces x over {@code dim} into a contiguous {@code out} whose shape is x's with that dim
     * set to 1 (ARGMAX writes INT32).
     */
    void reduce(ReduceOp op, Tensor x, int dim, Tensor out);

    /**
     * Batched matrix product: a [..., m, k] · b [..., k, n] into contiguous out [..., m, n]; the
     * batch dims of a and b are already broadcast to out's (stride 0 where repeated).
     */
    void matmul(Tensor a, Tensor b, Tensor out);

    /** Softmax (or log-softmax) over {@code dim}, stable for large logits; contiguous out. */
    void softmax(Tensor x, int dim, boolean log, Tensor out);

    /**
     * Gradient of softmax (log false: gx = y·(gy − Σ gy·y)) or log-softmax (log true:
     * gx = gy − exp(y)·Σ gy) over {@code dim}, given the forward output y; contiguous gx.
     */
    void softmaxBackward(Tensor y, Tensor gy, int dim, boolean log, Tensor gx);

    /**
     * Rotates feature pairs (i, i + D/2) of x [..., T, D] by the angles whose cosines and sines
     * are cos and sin [T, D/2], into contiguous out: out_i = x_i·cos − x_{i+D/2}·sin and
     * out_{i+D/2} = x_{i+D/2}·cos + x_i·sin. This default composes elementwise ops; a backend with
     * a fused kernel overrides it.
     */
    default void rotateHalf(Tensor x, Tensor cos, Tensor sin, Tensor out) {
        int half = x.size(-1) / 2;
        Tensor x1 = x.narrow(-1, 0, half), x2 = x.narrow(-1, half, half);
        out.narrow(-1, 0, half).copyFrom(x1.mul(cos).sub(x2.mul(sin)));
        out.narrow(-1, half, half).copyFrom(x2.mul(cos).add(x1.mul(sin)));
    }

    /**
     * Scaled-dot-product attention into contiguous out [B, H, T, hd]: softmax(q·kᵀ·scale + bias
     * [+ causal mask])·v, q [B, H, T, hd], k and v [B, H, S, hd], bias null or broadcastable to
     * [B, H, T, S], causal as in {@link Tensor#attention}. This default composes matmul and softmax,
     * materialising the [B, H, T, S] weights; a backend with a fused kernel overrides it.
     */
    default void attention(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale, Tensor out) {
        out.copyFrom(Tensor.attentionWeights(q, k, bias, causal, scale).matmul(v));
    }

    /**
     * {@link #attention} that also writes its weights into contiguous weights [B, H, T, S], for a
     * backward pass that need not recompute them; with a dropout mask (null for none), the weights
     * that multiply v are dropped out as {@code weights.dropout(…)} would be (the kept ones are
     * before dropout). This default composes matmul, softmax and dropout.
     */
    default void attentionKeepingWeights(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale, DropoutMask dropout,
                                         Tensor out, Tensor weights) {
        weights.copyFrom(Tensor.attentionWeights(q, k, bias, causal, scale));
        out.copyFrom(ScaledDotProduct.dropped(weights, dropout).matmul(v));
    }

    /**
     * The gradients of {@link #attention} for the upstream gradient gOut [B, H, T, hd], into
     * contiguous gq [B, H, T, hd] and gk, gv [B, H, S, hd]; weights are the forward's
     * ({@link #attentionKeepingWeights}) or null, to be recomputed, and its dropout mask or null.
     * This default composes matmul and softmax's backward, materialising the [B, H, T, S] weights;
     * a backend with a fused kernel overrides it.
     */
    default void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale, Tensor gOut, Tensor weights,
                                   DropoutMask dropout, Tensor gq, Tensor gk, Tensor gv) {
        Tensor[] g = ScaledDotProduct.composedBackward(q, k, v, bias, causal, scale, gOut, weights, dropout);
        gq.copyFrom(g[0]);
        gk.copyFrom(g[1]);
        gv.copyFrom(g[2]);
    }

    /**
     * Block-sparse attention into contiguous out [B, H, T, hd] and logSumExp [B, H, T], as
     * {@link Tensor#blockSparseAttention}. This default runs {@link BlockSparseKernel}'s scalar path
     * on host copies; a backend with its own kernel overrides it.
     */
    default void blockSparseAttention(Tensor q, Tensor k, Tensor v, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale,
                                      Tensor out, Tensor logSumExp) {
        BlockSparseKernel.Problem p = BlockSparseAttention.problem(q, pattern, keyPadding, slopes, scale);
        float[] o = new float[out.numel()], lse = new float[logSumExp.numel()];
        BlockSparseKernel.forward(p, downloadFloats(q), downloadFloats(k), downloadFloats(v), o, lse, BlockSparseKernel.SCALAR, BlockSparseKernel.SEQUENTIAL);
        out.copyFrom(Tensor.of(o, out.shape()).to(device()));
        logSumExp.copyFrom(Tensor.of(lse, logSumExp.shape()).to(device()));
    }

    /**
     * Adds the gradients of {@link #blockSparseAttention} into contiguous, zeroed gq, gk, gv
     * [B, H, T, hd]. This default runs {@link BlockSparseKernel}'s scalar path on host copies.
     */
    default void blockSparseAttentionBackward(Tensor q, Tensor k, Tensor v, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale,
                                              Tensor out, Tensor logSumExp, Tensor gOut, Tensor gq, Tensor gk, Tensor gv) {
        BlockSparseKernel.Problem p = BlockSparseAttention.problem(q, pattern, keyPadding, slopes, scale);
        float[] dq = new float[gq.numel()], dk = new float[gk.numel()], dv = new float[gv.numel()];
        BlockSparseKernel.backward(p, downloadFloats(q), downloadFloats(k), downloadFloats(v), downloadFloats(out), downloadFloats(logSumExp),
                downloadFloats(gOut), dq, dk, dv, BlockSparseKernel.SCALAR, BlockSparseKernel.SEQUENTIAL);
        gq.copyFrom(Tensor.of(dq, gq.shape()).to(device()));
        gk.copyFrom(Tensor.of(dk, gk.shape()).to(device()));
        gv.copyFrom(Tensor.of(dv, gv.shape()).to(device()));
    }

    /**
     * Layer norm over the last dim: out = (x − mean)·rstd·gamma + beta; gamma and beta may be
     * null. Also writes per-row mean and rstd = 1/√(var + eps) (contiguous, one per row) for the
     * backward pass.
     */
    void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out, Tensor mean, Tensor rstd);

    /**
     * Gradients of {@link #layerNorm} given the incoming gradient gy; ggamma and gbeta may be
     * null when gamma and beta are absent or need no gradient. All outputs contiguous.
     */
    void layerNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor rstd, Tensor gy,
                           Tensor gx, Tensor ggamma, Tensor gbeta);

    /** out = x with {@code dim} indexed by the 1-D INT32 {@code index}; contiguous out. */
    void indexSelect(Tensor x, int dim, Tensor index, Tensor out);

    /** Adds src's slices along {@code dim} into out at positions {@code index}: the adjoint of indexSelect. */
    void indexAdd(Tensor out, int dim, Tensor index, Tensor src);

    /** out[i][j][k] = x[i][index[i][j][k]][k] (for dim 1), as torch.gather; contiguous out. */
    void gather(Tensor x, int dim, Tensor index, Tensor out);

    /** out[i][index[i][j][k]][k] += src[i][j][k] (for dim 1): the adjoint of gather. */
    void scatterAdd(Tensor out, int dim, Tensor index, Tensor src);

    /**
     * Inverted dropout: out[i] = x[i]·keep(i)/(1 − p), where keep(i) is drawn from stream
     * positions {@code counter …} of {@code seed} by the row-major element index i alone. The same
     * seed and counter give the same mask, so the backward pass recomputes it instead of storing
     * it. x may be strided; out is contiguous.
     */
    void dropout(Tensor x, long seed, long counter, float p, Tensor out);

    /**
     * One Adam/AdamW update in place, over contiguous tensors of one shape (PyTorch's order):
     * p ← p·(1 − lr·decoupledDecay); g' = g + l2Decay·p; m ← β1·m + (1 − β1)·g';
     * v ← β2·v + (1 − β2)·g'²; p ← p − lr/bc1 · m / (√v / √bc2 + eps), where bc1 and bc2 are the
     * bias corrections 1 − β^t.
     */
    void adamStep(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                  float decoupledDecay, float l2Decay, float bc1, float bc2);

    /**
     * Fills out with uniform numbers in [low, high) (normal false) or normal numbers with the
     * given mean and std (normal true); element i uses stream positions from {@code counter} on,
     * so results do not depend on the thread count.
     */
    void random(Tensor out, long seed, long counter, boolean normal, float a, float b);
}

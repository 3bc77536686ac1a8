package dev.strand.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array of float32 (or int32) elements: a view (shape, strides, offset) over a
 * {@link Storage} that lives on one {@link Device}.
 *
 * <p>View operations ({@link #view}, {@link #permute}, {@link #narrow}, {@link #expand},
 * {@link #squeeze}, {@link #unsqueeze}) share storage and copy nothing. Every other operation
 * checks its arguments (shapes, dims, dtypes, devices), throws {@link IllegalArgumentException}
 * naming what does not fit, and only then runs one kernel of the tensor's {@link Backend}.
 * Elementwise operations broadcast as NumPy does. Tensors know nothing of gradients: that is
 * the autograd layer's job.
 *
 * <p>The operations themselves live in package-private classes by family ({@link Creation},
 * {@link Views}, {@link Copies}, {@link Elementwise}, {@link Reductions}, {@link MatrixProduct},
 * {@link Normalization}, {@link ScaledDotProduct}, {@link Indexing}, {@link Joins}); the methods
 * here are shorthands for them.
 */
public final class Tensor {
    // Package-private so the operation families read them without copies; never written after construction.
    final Storage storage;
    final int[] shape;
    final int[] strides;
    final int offset;

    /** A view over {@code storage}; shapes and strides are taken as given (not copied). */
    public Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    // ---------------------------------------------------------------- creation

    /** A zero-filled tensor on {@code device}. */
    public static Tensor zeros(Device device, DType dtype, int... shape) {
        return Creation.zeros(device, dtype, shape);
    }

    /** A zero-filled float tensor on the default device. */
    public static Tensor zeros(int... shape) {
        return zeros(Backends.defaultDevice(), DType.FLOAT32, shape);
    }

    /** A tensor filled with ones. */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /** A tensor filled with {@code value}. */
    public static Tensor full(float value, int... shape) {
        return Creation.full(value, shape);
    }

    /** A 0-d tensor holding one value. */
    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    /** [0, 1, …, n−1] as floats. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** [start, start+step, …) up to (excluding) end, as floats. */
    public static Tensor arange(float start, float end, float step) {
        return Creation.arange(start, end, step);
    }

    /** A float tensor holding a copy of {@code data} in row-major order; no shape means 0-d. */
    public static Tensor of(float[] data, int... shape) {
        return Creation.of(data, shape);
    }

    /** An INT32 tensor (token ids, indices) holding a copy of {@code data}; no shape means 1-d. */
    public static Tensor ofInts(int[] data, int... shape) {
        return Creation.ofInts(data, shape);
    }

    /** Uniform numbers in [0, 1) drawn from {@code gen}. */
    public static Tensor rand(Generator gen, int... shape) {
        return uniform(gen, 0f, 1f, shape);
    }

    /** Uniform numbers in [low, high) drawn from {@code gen}. */
    public static Tensor uniform(Generator gen, float low, float high, int... shape) {
        return Creation.uniform(gen, low, high, shape);
    }

    /** Standard normal numbers drawn from {@code gen}. */
    public static Tensor randn(Generator gen, int... shape) {
        return normal(gen, 0f, 1f, shape);
    }

    /** Normal numbers with the given mean and standard deviation drawn from {@code gen}. */
    public static Tensor normal(Generator gen, float mean, float std, int... shape) {
        return Creation.normal(gen, mean, std, shape);
    }

    // ---------------------------------------------------------------- metadata

    public int[] shape() {
        return shape.clone();
    }

    /** Size of dim {@code d} (negative counts from the end). */
    public int size(int d) {
        return shape[Shapes.dim(d, shape.length)];
    }

    public int dim() {
        return shape.length;
    }

    public int numel() {
        return Shapes.numel(shape);
    }

    public int[] strides() {
        return strides.clone();
    }

    public int offset() {
        return offset;
    }

    public Storage storage() {
        return storage;
    }

    public DType dtype() {
        return storage.dtype();
    }

    public Device device() {
        return storage.device();
    }

    /** The backend whose kernels run this tensor's operations. */
    public Backend backend() {
        return Backends.of(storage.device());
    }

    /** True if the elements are laid out row-major without gaps (size-1 dims ignored). */
    public boolean isContiguous() {
        return ViewMath.isContiguous(shape, strides);
    }

    /** True if the shapes are equal. */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    @Override
    public String toString() {
        return "Tensor" + Shapes.str(shape) + (dtype() == DType.INT32 ? " int32" : "")
                + (device().equals(Device.CPU) ? "" : " on " + device());
    }

    // ---------------------------------------------------------------- reading

    /** The elements in row-major order (a copy, on the host). */
    public float[] toFloatArray() {
        requireFloat("toFloatArray");
        return backend().downloadFloats(this);
    }

    /** The elements of an INT32 tensor in row-major order (a copy, on the host). */
    public int[] toIntArray() {
        if (dtype() != DType.INT32) throw new IllegalArgumentException("toIntArray needs an INT32 tensor, got " + this);
        return backend().downloadInts(this);
    }

    /** The value of a one-element tensor. */
    public float item() {
        if (numel() != 1) throw new IllegalArgumentException("item() needs one element, got shape " + Shapes.str(shape));
        return dtype() == DType.INT32 ? toIntArray()[0] : toFloatArray()[0];
    }

    /** One element, by index along each dim. */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length + " dims, tensor has shape " + Shapes.str(shape));
        }
        Tensor t = this;
        for (int i = index.length - 1; i >= 0; i--) t = t.select(i, index[i]);
        return t.item();
    }

    // ---------------------------------------------------------------- views (no copy)

    /**
     * The same elements with a new shape; one dim may be −1 (inferred). Copies only when this
     * tensor's strides cannot express the new shape (use {@link #view} to forbid copying).
     */
    public Tensor reshape(int... newShape) {
        return Views.reshape(this, newShape);
    }

    /** The same elements with a new shape, sharing storage; throws if the strides do not allow it. */
    public Tensor view(int... newShape) {
        return Views.view(this, newShape);
    }

    /** Collapses all dims into one. */
    public Tensor flatten() {
        return reshape(numel());
    }

    /** Reorders dims: result dim i is this tensor's dim {@code order[i]}. */
    public Tensor permute(int... order) {
        return Views.permute(this, order);
    }

    /** Swaps two dims. */
    public Tensor transpose(int d0, int d1) {
        return Views.transpose(this, d0, d1);
    }

    /** Transpose of a 2-d tensor (or of the last two dims). */
    public Tensor t() {
        if (shape.length < 2) throw new IllegalArgumentException("t() needs at least 2 dims, got " + Shapes.str(shape));
        return transpose(-2, -1);
    }

    /** Elements {@code start … start+length−1} along {@code dim}. */
    public Tensor narrow(int dim, int start, int length) {
        return Views.narrow(this, dim, start, length);
    }

    /** The slice at {@code index} along {@code dim}, with that dim removed. */
    public Tensor select(int dim, int index) {
        return Views.select(this, dim, index);
    }

    /**
     * Broadcasts size-1 dims (and new leading dims) to {@code newShape} without copying; −1 keeps a
     * dim's size.
     */
    public Tensor expand(int... newShape) {
        return Views.expand(this, newShape);
    }

    /** Removes dim {@code dim}, which must have size 1. */
    public Tensor squeeze(int dim) {
        return Views.squeeze(this, dim);
    }

    /** Inserts a size-1 dim at position {@code dim} (0 … rank). */
    public Tensor unsqueeze(int dim) {
        return Views.unsqueeze(this, dim);
    }

    /** Views of consecutive pieces along {@code dim} with the given sizes (which must add up). */
    public List<Tensor> split(int dim, int... sizes) {
        return Views.split(this, dim, sizes);
    }

    // ---------------------------------------------------------------- copies

    /** This tensor if contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /** A contiguous copy with its own storage. */
    public Tensor copy() {
        return Copies.copy(this);
    }

    /**
     * This tensor on {@code target} (itself if it is already there): a contiguous copy made through
     * the host. Operations never move data between devices by themselves.
     */
    public Tensor to(Device target) {
        return Copies.to(this, target);
    }

    /** The elements converted to FLOAT32 (this tensor if it already is). */
    public Tensor toFloat() {
        return Copies.convert(this, DType.FLOAT32);
    }

    /** The elements converted to INT32, truncating toward zero (this tensor if it already is). */
    public Tensor toInt() {
        return Copies.convert(this, DType.INT32);
    }

    // ---------------------------------------------------------------- in-place (for optimizers and buffers)

    /** Copies {@code src} (broadcast to this shape) into this tensor's elements. */
    public Tensor copyFrom(Tensor src) {
        return Copies.copyFrom(this, src);
    }

    /** Sets every element to {@code value}. */
    public Tensor fill(float value) {
        requireFloat("fill");
        backend().fill(this, value);
        return this;
    }

    /** this = op(this, other), other broadcast to this shape. */
    public Tensor applyInPlace(BinaryOp op, Tensor other) {
        return Elementwise.applyInPlace(this, op, other);
    }

    /** this += other. */
    public Tensor addInPlace(Tensor other) {
        return applyInPlace(BinaryOp.ADD, other);
    }

    // ---------------------------------------------------------------- elementwise

    /** op applied to every element. */
    public Tensor map(UnaryOp op) {
        return Elementwise.map(this, op);
    }

    /** op applied to broadcast pairs of elements. */
    public Tensor zip(BinaryOp op, Tensor other) {
        return Elementwise.zip(this, op, other);
    }

    public Tensor add(Tensor o) { return zip(BinaryOp.ADD, o); }
    public Tensor sub(Tensor o) { return zip(BinaryOp.SUB, o); }
    public Tensor mul(Tensor o) { return zip(BinaryOp.MUL, o); }
    public Tensor div(Tensor o) { return zip(BinaryOp.DIV, o); }
    public Tensor pow(Tensor o) { return zip(BinaryOp.POW, o); }
    public Tensor maximum(Tensor o) { return zip(BinaryOp.MAXIMUM, o); }
    public Tensor minimum(Tensor o) { return zip(BinaryOp.MINIMUM, o); }
    public Tensor add(float s) { return zip(BinaryOp.ADD, scalarLike(s)); }
    public Tensor sub(float s) { return zip(BinaryOp.SUB, scalarLike(s)); }
    public Tensor mul(float s) { return zip(BinaryOp.MUL, scalarLike(s)); }
    public Tensor div(float s) { return zip(BinaryOp.DIV, scalarLike(s)); }
    public Tensor pow(float s) { return zip(BinaryOp.POW, scalarLike(s)); }

    /** 1.0 where equal, else 0.0 (INT32 operands are compared as floats). */
    public Tensor eq(Tensor o) { return toFloat().zip(BinaryOp.EQ, o.toFloat()); }
    public Tensor ne(Tensor o) { return toFloat().zip(BinaryOp.NE, o.toFloat()); }
    public Tensor lt(Tensor o) { return zip(BinaryOp.LT, o); }
    public Tensor le(Tensor o) { return zip(BinaryOp.LE, o); }
    public Tensor gt(Tensor o) { return zip(BinaryOp.GT, o); }
    public Tensor ge(Tensor o) { return zip(BinaryOp.GE, o); }
    public Tensor eq(float s) { return toFloat().zip(BinaryOp.EQ, scalarLike(s)); }
    public Tensor lt(float s) { return zip(BinaryOp.LT, scalarLike(s)); }
    public Tensor gt(float s) { return zip(BinaryOp.GT, scalarLike(s)); }

    public Tensor neg() { return map(UnaryOp.NEG); }
    public Tensor exp() { return map(UnaryOp.EXP); }
    public Tensor log() { return map(UnaryOp.LOG); }
    public Tensor sqrt() { return map(UnaryOp.SQRT); }
    public Tensor tanh() { return map(UnaryOp.TANH); }
    public Tensor sigmoid() { return map(UnaryOp.SIGMOID); }
    public Tensor relu() { return map(UnaryOp.RELU); }
    public Tensor abs() { return map(UnaryOp.ABS); }
    public Tensor square() { return map(UnaryOp.SQUARE); }
    /** GELU with the exact normal CDF (PyTorch's default). */
    public Tensor gelu() { return map(UnaryOp.GELU_ERF); }
    /** GELU's tanh approximation (PyTorch's approximate="tanh"). */
    public Tensor geluTanh() { return map(UnaryOp.GELU_TANH); }

    /**
     * Inverted dropout with the mask drawn from stream positions {@code counter …} of {@code seed}
     * (see {@link Backend#dropout}); the same arguments always give the same mask.
     */
    public Tensor dropout(float p, long seed, long counter) {
        return Elementwise.dropout(this, p, seed, counter);
    }

    /** cond != 0 ? a : b, broadcasting all three. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Elementwise.where(cond, a, b);
    }

    /** This tensor with {@code value} wherever {@code mask} (broadcast) is nonzero. */
    public Tensor maskedFill(Tensor mask, float value) {
        return where(mask, scalarLike(value), this);
    }

    // ---------------------------------------------------------------- reductions

    /** Reduces over {@code dim}; keepdim keeps it as size 1. */
    public Tensor reduce(ReduceOp op, int dim, boolean keepdim) {
        return Reductions.reduce(this, op, dim, keepdim);
    }

    public Tensor sum(int dim, boolean keepdim) { return reduce(ReduceOp.SUM, dim, keepdim); }
    public Tensor mean(int dim, boolean keepdim) { return reduce(ReduceOp.MEAN, dim, keepdim); }
    public Tensor max(int dim, boolean keepdim) { return reduce(ReduceOp.MAX, dim, keepdim); }
    public Tensor min(int dim, boolean keepdim) { return reduce(ReduceOp.MIN, dim, keepdim); }
    public Tensor argmax(int dim, boolean keepdim) { return reduce(ReduceOp.ARGMAX, dim, keepdim); }

    /** Sum of all elements, as a 0-d tensor. */
    public Tensor sum() {
        return numel() == 0 ? scalarLike(0f) : reshape(numel()).sum(0, false);
    }

    /** Mean of all elements, as a 0-d tensor. */
    public Tensor mean() {
        return reshape(numel()).mean(0, false);
    }

    /** Variance over {@code dim}: divided by n − 1 if unbiased (PyTorch's default), else by n. */
    public Tensor var(int dim, boolean keepdim, boolean unbiased) {
        return Reductions.var(this, dim, keepdim, unbiased);
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * Matrix product with NumPy/PyTorch semantics for rank ≥ 2: [..., m, k] · [..., k, n] →
     * [..., m, n], batch dims broadcast. A 1-d operand is treated as a row (left) or column
     * (right) vector and that dim is removed from the result.
     */
    public Tensor matmul(Tensor other) {
        return MatrixProduct.matmul(this, other);
    }

    // ---------------------------------------------------------------- normalisation

    /** Softmax over {@code dim}, stable for large logits. */
    public Tensor softmax(int dim) {
        return Normalization.softmax(this, dim, false);
    }

    /** Log-softmax over {@code dim}, stable for large logits. */
    public Tensor logSoftmax(int dim) {
        return Normalization.softmax(this, dim, true);
    }

    /** The gradient of softmax/log-softmax over {@code dim} given its output y (this) and gy. */
    public Tensor softmaxBackward(Tensor gy, int dim, boolean log) {
        return Normalization.softmaxBackward(this, gy, dim, log);
    }

    /** Results of {@link #layerNorm}: the output and per-row mean and 1/std kept for backward. */
    public record LayerNormResult(Tensor out, Tensor mean, Tensor rstd) {}

    /**
     * Layer norm over the last dim with optional affine weight and bias ([C] each, may be null).
     * mean and rstd have this tensor's shape without the last dim.
     */
    public LayerNormResult layerNorm(Tensor weight, Tensor bias, float eps) {
        return Normalization.layerNorm(this, weight, bias, eps);
    }

    /** Gradients of {@link #layerNorm}: input, and weight/bias when asked for (else null). */
    public record LayerNormGrads(Tensor input, Tensor weight, Tensor bias) {}

    /**
     * Backward of {@link #layerNorm} for this input, given the forward result and the incoming
     * gradient {@code gy}; weight may be null (no affine weight).
     */
    public LayerNormGrads layerNormBackward(Tensor weight, LayerNormResult forward, Tensor gy, boolean weightGrad, boolean biasGrad) {
        return Normalization.layerNormBackward(this, weight, forward, gy, weightGrad, biasGrad);
    }

    // ---------------------------------------------------------------- attention

    /**
     * Rotary positions' rotation (GPT-NeoX's "rotate half"): out_i = x_i·cos − x_{i+D/2}·sin and
     * out_{i+D/2} = x_{i+D/2}·cos + x_i·sin for this [..., T, D] and cos, sin [T, D/2] → contiguous
     * [..., T, D]. With sin negated it turns back: the inverse and the gradient.
     */
    public Tensor rotateHalf(Tensor cos, Tensor sin) {
        return RotateHalf.apply(this, cos, sin);
    }

    /**
     * Scaled-dot-product attention, softmax(q·kᵀ·scale + bias [+ causal mask])·v, by the backend's
     * fused kernel where it has one (see {@link Backend#attention}). q is [B, H, T, hd], k and v
     * [B, H, S, hd]; bias is null or additive and broadcasts to [B, H, T, S] (−∞ hides a key, ALiBi
     * adds slopes); causal lets query i, at absolute position S − T + i (after S − T cached keys),
     * see keys 0 … S − T + i. Returns [B, H, T, hd]; a row with every key hidden is NaN.
     */
    public static Tensor attention(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale) {
        return ScaledDotProduct.attention(q, k, v, bias, causal, scale);
    }

    /**
     * The gradients of {@link #attention} for the upstream gradient gOut [B, H, T, hd]: {dq
     * [B, H, T, hd], dk, dv [B, H, S, hd], dScores}, by the backend's fused kernel where it has one,
     * from the forward's weights [B, H, T, S] and dropout mask ({@link #attentionKeepingWeights}),
     * or, when null, recomputing them. dScores, the gradient of the biased scores (what a learned
     * bias sums), is computed only when {@code scoresGrad} is set (then composed), else null.
     */
    public static Tensor[] attentionBackward(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale, Tensor gOut, Tensor weights, DropoutMask dropout, boolean scoresGrad) {
        return ScaledDotProduct.backward(q, k, v, bias, causal, scale, gOut, weights, dropout, scoresGrad);
    }

    /** {@link #attention} and its weights [B, H, T, S], kept for {@link #attentionBackward}: {out, weights}; dropout (or null) on those that multiply v. */
    public static Tensor[] attentionKeepingWeights(Tensor q, Tensor k, Tensor v, Tensor bias, boolean causal, float scale, DropoutMask dropout) {
        return ScaledDotProduct.attentionKeepingWeights(q, k, v, bias, causal, scale, dropout);
    }

    /**
     * The weights of {@link #attention}, softmax(q·kᵀ·scale + bias [+ causal mask]) over keys,
     * composed from matmul and softmax: [B, H, T, S], each row summing to 1.
     */
    public static Tensor attentionWeights(Tensor q, Tensor k, Tensor bias, boolean causal, float scale) {
        return ScaledDotProduct.weights(q, k, bias, causal, scale);
    }

    /**
     * Block-sparse attention (BigBird): query row t of head h attends, in one softmax, to the keys
     * of the key blocks that {@code pattern} lists for t's block (a block listed twice counts
     * twice), scores q·k·scale, minus slope_h·|t − s| with ALiBi {@code slopes} (null: none); keys
     * where {@code keyPadding} [B, T] is non-zero (null: none) are never attended to. q, k, v are
     * [B, H, T, hd] with T = pattern.length(). Returns {out [B, H, T, hd], logSumExp [B, H, T]},
     * the second for {@link #blockSparseAttentionBackward}; a row with every key padded is 0 and −∞.
     * Nothing of size [T, T] is allocated.
     */
    public static Tensor[] blockSparseAttention(Tensor q, Tensor k, Tensor v, BlockPattern pattern, Tensor keyPadding, float[] slopes, float scale) {
        return BlockSparseAttention.forward(q, k, v, pattern, keyPadding, slopes, scale);
    }

    /**
     * Gradients {dq, dk, dv} of {@link #blockSparseAttention} for the upstream gradient {@code gOut}
     * of its {@code out}, recomputing the weights from q, k and {@code logSumExp}.
     */
    public static Tensor[] blockSparseAttentionBackward(Tensor q, Tensor k, Tensor v, BlockPattern pattern, Tensor keyPadding, float[] slopes,
                                                        float scale, Tensor out, Tensor logSumExp, Tensor gOut) {
        return BlockSparseAttention.backward(q, k, v, pattern, keyPadding, slopes, scale, out, logSumExp, gOut);
    }

    // ---------------------------------------------------------------- indexing

    /** Rows of {@code weight} [V, D] picked by INT32 {@code ids} of any shape → [..ids, D]. */
    public static Tensor embedding(Tensor weight, Tensor ids) {
        return Indexing.embedding(weight, ids);
    }

    /** Slices along {@code dim} picked by the 1-d INT32 {@code index}. */
    public Tensor indexSelect(int dim, Tensor index) {
        return Indexing.indexSelect(this, dim, index);
    }

    /** this[index[j]] += src[j] along {@code dim} (in place): the adjoint of indexSelect. */
    public Tensor indexAddInPlace(int dim, Tensor index, Tensor src) {
        return Indexing.indexAddInPlace(this, dim, index, src);
    }

    /** As torch.gather: out[i][j] = this[i][index[i][j]] for dim 1; index has this rank. */
    public Tensor gather(int dim, Tensor index) {
        return Indexing.gather(this, dim, index);
    }

    /** this[i][index[i][j]] += src[i][j] for dim 1 (in place): the adjoint of gather. */
    public Tensor scatterAddInPlace(int dim, Tensor index, Tensor src) {
        return Indexing.scatterAddInPlace(this, dim, index, src);
    }

    // ---------------------------------------------------------------- joins

    /** Joins tensors along {@code dim}; all other dims must match. */
    public static Tensor concat(List<Tensor> parts, int dim) {
        return Joins.concat(parts, dim);
    }

    /** Stacks equal-shaped tensors along a new dim. */
    public static Tensor stack(List<Tensor> parts, int dim) {
        return Joins.stack(parts, dim);
    }

    // ---------------------------------------------------------------- shared by the operation families

    /** A zero float tensor on this tensor's device (results live where their inputs live). */
    Tensor zerosLike(int... s) {
        return zeros(device(), DType.FLOAT32, s);
    }

    /** A 0-d float tensor holding {@code value} on this tensor's device. */
    Tensor scalarLike(float value) {
        if (device().equals(Backends.defaultDevice())) return scalar(value);
        Tensor t = zeros(device(), DType.FLOAT32);
        t.backend().fill(t, value);
        return t;
    }

    void requireFloat(String op) {
        if (dtype() != DType.FLOAT32) throw new IllegalArgumentException(op + " needs a FLOAT32 tensor, got " + this);
    }

    void requireSameShape(Tensor o, String op) {
        if (!sameShape(o)) throw new IllegalArgumentException(op + ": shapes " + Shapes.str(shape) + " and " + Shapes.str(o.shape) + " differ");
    }

    void sameDevice(Tensor o, String op) {
        if (!device().equals(o.device())) {
            throw new IllegalArgumentException(op + ": tensors on different devices (" + device() + " and " + o.device()
                    + "); move one with to(device) first");
        }
    }
}

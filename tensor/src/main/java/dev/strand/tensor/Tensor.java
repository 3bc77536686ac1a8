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
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

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
        int[] s = shape.clone();
        Storage st = Backends.of(device).allocate(dtype, Shapes.numel(s));
        return new Tensor(st, s, Shapes.contiguousStrides(s), 0);
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
        Tensor t = zeros(shape);
        if (value != 0f) t.backend().fill(t, value);
        return t;
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
        if (step == 0 || (end - start) / step < 0) {
            throw new IllegalArgumentException("arange(" + start + ", " + end + ", " + step + ") is empty or infinite");
        }
        int n = (int) Math.ceil((end - start) / step);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = start + i * step;
        return of(v, n);
    }

    /** A float tensor holding a copy of {@code data} in row-major order; no shape means 0-d. */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shape.length == 0 && data.length != 1 ? new int[] {data.length} : shape.clone();
        if (Shapes.numel(s) != data.length) {
            throw new IllegalArgumentException(data.length + " values do not fill shape " + Shapes.str(s));
        }
        return new Tensor(Backends.of(Backends.defaultDevice()).upload(data), s, Shapes.contiguousStrides(s), 0);
    }

    /** An INT32 tensor (token ids, indices) holding a copy of {@code data}; no shape means 1-d. */
    public static Tensor ofInts(int[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        if (Shapes.numel(s) != data.length) {
            throw new IllegalArgumentException(data.length + " values do not fill shape " + Shapes.str(s));
        }
        return new Tensor(Backends.of(Backends.defaultDevice()).upload(data), s, Shapes.contiguousStrides(s), 0);
    }

    /** Uniform numbers in [0, 1) drawn from {@code gen}. */
    public static Tensor rand(Generator gen, int... shape) {
        return uniform(gen, 0f, 1f, shape);
    }

    /** Uniform numbers in [low, high) drawn from {@code gen}. */
    public static Tensor uniform(Generator gen, float low, float high, int... shape) {
        Tensor t = zeros(shape);
        t.backend().random(t, gen.seed(), gen.advance(t.numel()), false, low, high);
        return t;
    }

    /** Standard normal numbers drawn from {@code gen}. */
    public static Tensor randn(Generator gen, int... shape) {
        return normal(gen, 0f, 1f, shape);
    }

    /** Normal numbers with the given mean and standard deviation drawn from {@code gen}. */
    public static Tensor normal(Generator gen, float mean, float std, int... shape) {
        Tensor t = zeros(shape);
        // Box–Muller consumes two uniforms per pair of outputs.
        t.backend().random(t, gen.seed(), gen.advance(2L * ((t.numel() + 1) / 2)), true, mean, std);
        return t;
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
        int[] s = ViewMath.inferShape(shape, newShape);
        int[] st = ViewMath.viewStrides(shape, strides, s);
        return st != null ? new Tensor(storage, s, st, offset) : contiguous().view(s);
    }

    /** The same elements with a new shape, sharing storage; throws if the strides do not allow it. */
    public Tensor view(int... newShape) {
        int[] s = ViewMath.inferShape(shape, newShape);
        int[] st = ViewMath.viewStrides(shape, strides, s);
        if (st == null) {
            throw new IllegalArgumentException("cannot view shape " + Shapes.str(shape) + " with strides "
                    + Arrays.toString(strides) + " as " + Shapes.str(s) + "; call contiguous() or reshape()");
        }
        return new Tensor(storage, s, st, offset);
    }

    /** Collapses all dims into one. */
    public Tensor flatten() {
        return reshape(numel());
    }

    /** Reorders dims: result dim i is this tensor's dim {@code order[i]}. */
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute order " + Arrays.toString(order) + " does not match rank of " + Shapes.str(shape));
        }
        int[] s = new int[order.length], st = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int d = Shapes.dim(order[i], shape.length);
            if (seen[d]) throw new IllegalArgumentException("permute order " + Arrays.toString(order) + " repeats dim " + d);
            seen[d] = true;
            s[i] = shape[d];
            st[i] = strides[d];
        }
        return new Tensor(storage, s, st, offset);
    }

    /** Swaps two dims. */
    public Tensor transpose(int d0, int d1) {
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int a = Shapes.dim(d0, shape.length), b = Shapes.dim(d1, shape.length);
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Transpose of a 2-d tensor (or of the last two dims). */
    public Tensor t() {
        if (shape.length < 2) throw new IllegalArgumentException("t() needs at least 2 dims, got " + Shapes.str(shape));
        return transpose(-2, -1);
    }

    /** Elements {@code start … start+length−1} along {@code dim}. */
    public Tensor narrow(int dim, int start, int length) {
        int d = Shapes.dim(dim, shape.length);
        if (start < 0 || length < 0 || start + length > shape[d]) {
            throw new IllegalArgumentException("narrow(dim " + dim + ", start " + start + ", length " + length
                    + ") out of range for shape " + Shapes.str(shape));
        }
        int[] s = shape.clone();
        s[d] = length;
        return new Tensor(storage, s, strides.clone(), offset + start * strides[d]);
    }

    /** The slice at {@code index} along {@code dim}, with that dim removed. */
    public Tensor select(int dim, int index) {
        int d = Shapes.dim(dim, shape.length);
        if (index < -shape[d] || index >= shape[d]) {
            throw new IllegalArgumentException("index " + index + " out of range for dim " + dim + " of shape " + Shapes.str(shape));
        }
        int i = index < 0 ? index + shape[d] : index;
        return narrow(d, i, 1).squeeze(d);
    }

    /**
     * Broadcasts size-1 dims (and new leading dims) to {@code newShape} without copying; −1 keeps a
     * dim's size.
     */
    public Tensor expand(int... newShape) {
        if (newShape.length < shape.length) {
            throw new IllegalArgumentException("cannot expand " + Shapes.str(shape) + " to fewer dims " + Shapes.str(newShape));
        }
        int lead = newShape.length - shape.length;
        int[] s = new int[newShape.length], st = new int[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            int want = newShape[i];
            if (i < lead) {
                if (want < 0) throw new IllegalArgumentException("cannot use -1 for a new leading dim in expand " + Shapes.str(newShape));
                s[i] = want;
                st[i] = 0;
            } else {
                int have = shape[i - lead];
                if (want == -1 || want == have) {
                    s[i] = have;
                    st[i] = strides[i - lead];
                } else if (have == 1) {
                    s[i] = want;
                    st[i] = 0;
                } else {
                    throw new IllegalArgumentException("cannot expand shape " + Shapes.str(shape) + " to " + Shapes.str(newShape));
                }
            }
        }
        return new Tensor(storage, s, st, offset);
    }

    /** Removes dim {@code dim}, which must have size 1. */
    public Tensor squeeze(int dim) {
        int d = Shapes.dim(dim, shape.length);
        if (shape[d] != 1) throw new IllegalArgumentException("cannot squeeze dim " + dim + " of size " + shape[d] + " in " + Shapes.str(shape));
        return new Tensor(storage, Shapes.remove(shape, d), Shapes.remove(strides, d), offset);
    }

    /** Inserts a size-1 dim at position {@code dim} (0 … rank). */
    public Tensor unsqueeze(int dim) {
        int d = dim < 0 ? dim + shape.length + 1 : dim;
        if (d < 0 || d > shape.length) {
            throw new IllegalArgumentException("unsqueeze dim " + dim + " out of range for shape " + Shapes.str(shape));
        }
        int st = d < shape.length ? strides[d] * shape[d] : 1;
        return new Tensor(storage, Shapes.insert(shape, d, 1), Shapes.insert(strides, d, st), offset);
    }

    /** This tensor if contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /** A contiguous copy with its own storage. */
    public Tensor copy() {
        Tensor out = zeros(device(), dtype(), shape);
        backend().unary(UnaryOp.IDENTITY, this, out);
        return out;
    }

    /**
     * This tensor on {@code target} (itself if it is already there): a contiguous copy made through
     * the host. Operations never move data between devices by themselves.
     */
    public Tensor to(Device target) {
        if (device().equals(target)) return this;
        Backend to = Backends.of(target);
        Storage st = dtype() == DType.FLOAT32 ? to.upload(toFloatArray()) : to.upload(toIntArray());
        return new Tensor(st, shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** The elements converted to FLOAT32 (this tensor if it already is). */
    public Tensor toFloat() {
        return convert(DType.FLOAT32);
    }

    /** The elements converted to INT32, truncating toward zero (this tensor if it already is). */
    public Tensor toInt() {
        return convert(DType.INT32);
    }

    private Tensor convert(DType to) {
        if (dtype() == to) return this;
        Tensor out = zeros(device(), to, shape);
        backend().cast(this, out);
        return out;
    }

    // ---------------------------------------------------------------- in-place (for optimizers and buffers)

    /** Copies {@code src} (broadcast to this shape) into this tensor's elements. */
    public Tensor copyFrom(Tensor src) {
        sameDevice(src, "copyFrom");
        Shapes.broadcast(src.shape, shape);
        if (!Arrays.equals(Shapes.broadcast(src.shape, shape), shape)) {
            throw new IllegalArgumentException("cannot copy shape " + Shapes.str(src.shape) + " into " + Shapes.str(shape));
        }
        if (src.dtype() != dtype()) throw new IllegalArgumentException("copyFrom dtype " + src.dtype() + " into " + dtype());
        backend().unary(UnaryOp.IDENTITY, src, this);
        return this;
    }

    /** Sets every element to {@code value}. */
    public Tensor fill(float value) {
        requireFloat("fill");
        backend().fill(this, value);
        return this;
    }

    /** this = op(this, other), other broadcast to this shape. */
    public Tensor applyInPlace(BinaryOp op, Tensor other) {
        requireFloat(op.name());
        other.requireFloat(op.name());
        sameDevice(other, op.name());
        if (!Arrays.equals(Shapes.broadcast(shape, other.shape), shape)) {
            throw new IllegalArgumentException("in-place " + op + " cannot broadcast " + Shapes.str(other.shape) + " into " + Shapes.str(shape));
        }
        backend().binary(op, this, other, this);
        return this;
    }

    /**
     * One Adam/AdamW step on this parameter tensor in place, with moment buffers m and v (see
     * {@link Backend#adamStep}); all contiguous and of this shape.
     */
    public void adamStep(Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                         float decoupledDecay, float l2Decay, int step) {
        requireSameShape(grad, "adamStep");
        requireSameShape(m, "adamStep");
        requireSameShape(v, "adamStep");
        sameDevice(grad, "adamStep");
        sameDevice(m, "adamStep");
        sameDevice(v, "adamStep");
        if (!isContiguous() || !m.isContiguous() || !v.isContiguous() || m.offset() != 0 || v.offset() != 0) {
            throw new IllegalArgumentException("adamStep needs contiguous parameter and moment buffers");
        }
        backend().adamStep(this, grad, m, v, lr, beta1, beta2, eps, decoupledDecay, l2Decay,
                (float) (1 - Math.pow(beta1, step)), (float) (1 - Math.pow(beta2, step)));
    }

    /** this += other. */
    public Tensor addInPlace(Tensor other) {
        return applyInPlace(BinaryOp.ADD, other);
    }

    // ---------------------------------------------------------------- elementwise

    /** op applied to every element. */
    public Tensor map(UnaryOp op) {
        requireFloat(op.name());
        Tensor out = zerosLike(shape);
        backend().unary(op, this, out);
        return out;
    }

    /** op applied to broadcast pairs of elements. */
    public Tensor zip(BinaryOp op, Tensor other) {
        requireFloat(op.name());
        other.requireFloat(op.name());
        sameDevice(other, op.name());
        Tensor out = zeros(device(), DType.FLOAT32, Shapes.broadcast(shape, other.shape));
        backend().binary(op, this, other, out);
        return out;
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
        requireFloat("dropout");
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        Tensor out = zerosLike(shape);
        backend().dropout(this, seed, counter, p, out);
        return out;
    }

    /** cond != 0 ? a : b, broadcasting all three. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        a.requireFloat("where");
        b.requireFloat("where");
        a.sameDevice(b, "where");
        a.sameDevice(cond, "where");
        Tensor c = cond.toFloat();
        Tensor out = zeros(a.device(), DType.FLOAT32, Shapes.broadcast(c.shape, Shapes.broadcast(a.shape, b.shape)));
        a.backend().where(c, a, b, out);
        return out;
    }

    /** This tensor with {@code value} wherever {@code mask} (broadcast) is nonzero. */
    public Tensor maskedFill(Tensor mask, float value) {
        return where(mask, scalarLike(value), this);
    }

    /** A zero float tensor on this tensor's device (results live where their inputs live). */
    private Tensor zerosLike(int... s) {
        return zeros(device(), DType.FLOAT32, s);
    }

    private Tensor scalarLike(float value) {
        if (device().equals(Backends.defaultDevice())) return scalar(value);
        Tensor t = zeros(device(), DType.FLOAT32);
        t.backend().fill(t, value);
        return t;
    }

    // ---------------------------------------------------------------- reductions

    /** Reduces over {@code dim}; keepdim keeps it as size 1. */
    public Tensor reduce(ReduceOp op, int dim, boolean keepdim) {
        requireFloat(op.name());
        int d = Shapes.dim(dim, shape.length);
        if (shape[d] == 0 && op != ReduceOp.SUM) {
            throw new IllegalArgumentException(op + " over an empty dim " + dim + " of shape " + Shapes.str(shape));
        }
        int[] keep = shape.clone();
        keep[d] = 1;
        Tensor out = zeros(device(), op == ReduceOp.ARGMAX ? DType.INT32 : DType.FLOAT32, keep);
        if (shape[d] > 0) backend().reduce(op, this, d, out);   // a sum over nothing is the zeros out starts as
        return keepdim ? out : out.squeeze(d);
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
        int n = size(dim);
        Tensor centered = sub(mean(dim, true));
        return centered.square().sum(dim, keepdim).div(unbiased ? n - 1 : n);
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * Matrix product with NumPy/PyTorch semantics for rank ≥ 2: [..., m, k] · [..., k, n] →
     * [..., m, n], batch dims broadcast. A 1-d operand is treated as a row (left) or column
     * (right) vector and that dim is removed from the result.
     */
    public Tensor matmul(Tensor other) {
        requireFloat("matmul");
        other.requireFloat("matmul");
        sameDevice(other, "matmul");
        if (shape.length == 0 || other.shape.length == 0) {
            throw new IllegalArgumentException("matmul needs at least 1-d operands, got " + Shapes.str(shape) + " and " + Shapes.str(other.shape));
        }
        if (shape.length == 1) return unsqueeze(0).matmul(other).squeeze(-2);
        if (other.shape.length == 1) return matmul(other.unsqueeze(1)).squeeze(-1);
        int m = shape[shape.length - 2], k = shape[shape.length - 1];
        int k2 = other.shape[other.shape.length - 2], n = other.shape[other.shape.length - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul shapes " + Shapes.str(shape) + " and " + Shapes.str(other.shape)
                    + " do not fit: inner dims " + k + " and " + k2 + " differ");
        }
        int[] batch;
        try {
            batch = Shapes.broadcast(Arrays.copyOf(shape, shape.length - 2), Arrays.copyOf(other.shape, other.shape.length - 2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul batch dims of " + Shapes.str(shape) + " and " + Shapes.str(other.shape) + " cannot be broadcast together");
        }
        Tensor a = expand(Shapes.append(batch, m, k));
        Tensor b = other.expand(Shapes.append(batch, k, n));
        Tensor out = zeros(device(), DType.FLOAT32, Shapes.append(batch, m, n));
        backend().matmul(a, b, out);
        return out;
    }

    // ---------------------------------------------------------------- normalisation

    /** Softmax over {@code dim}, stable for large logits. */
    public Tensor softmax(int dim) {
        return softmax(dim, false);
    }

    /** Log-softmax over {@code dim}, stable for large logits. */
    public Tensor logSoftmax(int dim) {
        return softmax(dim, true);
    }

    private Tensor softmax(int dim, boolean log) {
        requireFloat("softmax");
        int d = Shapes.dim(dim, shape.length);
        Tensor out = zerosLike(shape);
        backend().softmax(this, d, log, out);
        return out;
    }

    /** The gradient of softmax/log-softmax over {@code dim} given its output y (this) and gy. */
    public Tensor softmaxBackward(Tensor gy, int dim, boolean log) {
        requireSameShape(gy, "softmaxBackward");
        sameDevice(gy, "softmaxBackward");
        Tensor gx = zerosLike(shape);
        backend().softmaxBackward(this, gy, Shapes.dim(dim, shape.length), log, gx);
        return gx;
    }

    /** Results of {@link #layerNorm}: the output and per-row mean and 1/std kept for backward. */
    public record LayerNormResult(Tensor out, Tensor mean, Tensor rstd) {}

    /**
     * Layer norm over the last dim with optional affine weight and bias ([C] each, may be null).
     * mean and rstd have this tensor's shape without the last dim.
     */
    public LayerNormResult layerNorm(Tensor weight, Tensor bias, float eps) {
        requireFloat("layerNorm");
        if (shape.length == 0) throw new IllegalArgumentException("layerNorm needs at least 1 dim");
        int c = shape[shape.length - 1];
        for (Tensor p : new Tensor[] {weight, bias}) {
            if (p != null && (p.shape.length != 1 || p.shape[0] != c)) {
                throw new IllegalArgumentException("layerNorm weight/bias shape " + Shapes.str(p.shape) + " does not match last dim of " + Shapes.str(shape));
            }
            if (p != null) sameDevice(p, "layerNorm");
        }
        int[] rows = Arrays.copyOf(shape, shape.length - 1);
        Tensor out = zerosLike(shape), mean = zerosLike(rows), rstd = zerosLike(rows);
        backend().layerNorm(this, weight, bias, eps, out, mean, rstd);
        return new LayerNormResult(out, mean, rstd);
    }

    /** Gradients of {@link #layerNorm}: input, and weight/bias when asked for (else null). */
    public record LayerNormGrads(Tensor input, Tensor weight, Tensor bias) {}

    /**
     * Backward of {@link #layerNorm} for this input, given the forward result and the incoming
     * gradient {@code gy}; weight may be null (no affine weight).
     */
    public LayerNormGrads layerNormBackward(Tensor weight, LayerNormResult forward, Tensor gy, boolean weightGrad, boolean biasGrad) {
        requireSameShape(gy, "layerNormBackward");
        sameDevice(gy, "layerNormBackward");
        sameDevice(forward.mean(), "layerNormBackward");
        if (weight != null) sameDevice(weight, "layerNormBackward");
        int c = shape[shape.length - 1];
        Tensor gx = zerosLike(shape);
        Tensor gw = weightGrad ? zerosLike(c) : null, gb = biasGrad ? zerosLike(c) : null;
        backend().layerNormBackward(this, weight, forward.mean(), forward.rstd(), gy, gx, gw, gb);
        return new LayerNormGrads(gx, gw, gb);
    }

    // ---------------------------------------------------------------- attention

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
     * The weights of {@link #attention}, softmax(q·kᵀ·scale + bias [+ causal mask]) over keys,
     * composed from matmul and softmax: [B, H, T, S], each row summing to 1.
     */
    public static Tensor attentionWeights(Tensor q, Tensor k, Tensor bias, boolean causal, float scale) {
        return ScaledDotProduct.weights(q, k, bias, causal, scale);
    }

    // ---------------------------------------------------------------- indexing

    /** Rows of {@code weight} [V, D] picked by INT32 {@code ids} of any shape → [..ids, D]. */
    public static Tensor embedding(Tensor weight, Tensor ids) {
        if (weight.dim() != 2) throw new IllegalArgumentException("embedding weight must be [V, D], got " + Shapes.str(weight.shape));
        int[] outShape = Arrays.copyOf(ids.shape, ids.shape.length + 1);
        outShape[ids.shape.length] = weight.shape[1];
        return weight.indexSelect(0, ids.reshape(ids.numel())).view(outShape);
    }

    /** Slices along {@code dim} picked by the 1-d INT32 {@code index}. */
    public Tensor indexSelect(int dim, Tensor index) {
        int d = Shapes.dim(dim, shape.length);
        checkIndex(index, shape[d], "indexSelect dim " + dim + " of " + Shapes.str(shape));
        if (index.dim() != 1) throw new IllegalArgumentException("indexSelect index must be 1-d, got " + Shapes.str(index.shape));
        int[] s = shape.clone();
        s[d] = index.shape[0];
        Tensor out = zeros(device(), dtype(), s);
        backend().indexSelect(this, d, index, out);
        return out;
    }

    /** this[index[j]] += src[j] along {@code dim} (in place): the adjoint of indexSelect. */
    public Tensor indexAddInPlace(int dim, Tensor index, Tensor src) {
        int d = Shapes.dim(dim, shape.length);
        checkIndex(index, shape[d], "indexAdd dim " + dim + " of " + Shapes.str(shape));
        int[] want = shape.clone();
        want[d] = index.numel();
        if (!Arrays.equals(want, src.shape)) {
            throw new IllegalArgumentException("indexAdd source shape " + Shapes.str(src.shape) + " should be " + Shapes.str(want));
        }
        sameDevice(src, "indexAdd");
        backend().indexAdd(this, d, index, src);
        return this;
    }

    /** As torch.gather: out[i][j] = this[i][index[i][j]] for dim 1; index has this rank. */
    public Tensor gather(int dim, Tensor index) {
        int d = Shapes.dim(dim, shape.length);
        checkGatherShapes(d, index, "gather");
        Tensor out = zeros(device(), dtype(), index.shape);
        backend().gather(this, d, index, out);
        return out;
    }

    /** this[i][index[i][j]] += src[i][j] for dim 1 (in place): the adjoint of gather. */
    public Tensor scatterAddInPlace(int dim, Tensor index, Tensor src) {
        int d = Shapes.dim(dim, shape.length);
        checkGatherShapes(d, index, "scatterAdd");
        if (!Arrays.equals(index.shape, src.shape)) {
            throw new IllegalArgumentException("scatterAdd index shape " + Shapes.str(index.shape) + " and source shape " + Shapes.str(src.shape) + " differ");
        }
        sameDevice(src, "scatterAdd");
        backend().scatterAdd(this, d, index, src);
        return this;
    }

    private void checkGatherShapes(int d, Tensor index, String op) {
        if (index.dim() != shape.length) {
            throw new IllegalArgumentException(op + " index shape " + Shapes.str(index.shape) + " must have the rank of " + Shapes.str(shape));
        }
        for (int i = 0; i < shape.length; i++) {
            if (i != d && index.shape[i] > shape[i]) {
                throw new IllegalArgumentException(op + " index shape " + Shapes.str(index.shape) + " exceeds " + Shapes.str(shape) + " in dim " + i);
            }
        }
        checkIndex(index, shape[d], op + " dim " + d + " of " + Shapes.str(shape));
    }

    private void checkIndex(Tensor index, int bound, String what) {
        if (index.dtype() != DType.INT32) throw new IllegalArgumentException(what + ": index must be INT32, got " + index);
        sameDevice(index, what);
        for (int v : index.toIntArray()) {
            if (v < 0 || v >= bound) throw new IllegalArgumentException(what + ": index " + v + " out of range [0, " + bound + ")");
        }
    }

    /** Joins tensors along {@code dim}; all other dims must match. */
    public static Tensor concat(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("concat of no tensors");
        Tensor first = parts.get(0);
        int d = Shapes.dim(dim, first.shape.length);
        int total = 0;
        for (Tensor p : parts) {
            if (p.shape.length != first.shape.length || p.dtype() != first.dtype()) {
                throw new IllegalArgumentException("concat: " + p + " does not match " + first);
            }
            first.sameDevice(p, "concat");
            for (int i = 0; i < first.shape.length; i++) {
                if (i != d && p.shape[i] != first.shape[i]) {
                    throw new IllegalArgumentException("concat along dim " + dim + ": shapes " + Shapes.str(first.shape) + " and " + Shapes.str(p.shape) + " differ in dim " + i);
                }
            }
            total += p.shape[d];
        }
        int[] s = first.shape.clone();
        s[d] = total;
        Tensor out = zeros(first.device(), first.dtype(), s);
        int at = 0;
        for (Tensor p : parts) {
            out.narrow(d, at, p.shape[d]).copyFrom(p);
            at += p.shape[d];
        }
        return out;
    }

    /** Stacks equal-shaped tensors along a new dim. */
    public static Tensor stack(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) throw new IllegalArgumentException("stack of no tensors");
        int rank = parts.get(0).dim();
        int d = dim < 0 ? dim + rank + 1 : dim;
        for (Tensor p : parts) {
            if (!p.sameShape(parts.get(0))) {
                throw new IllegalArgumentException("stack: shapes " + Shapes.str(parts.get(0).shape) + " and " + Shapes.str(p.shape) + " differ");
            }
        }
        return concat(parts.stream().map(p -> p.unsqueeze(d)).toList(), d);
    }

    /** Views of consecutive pieces along {@code dim} with the given sizes (which must add up). */
    public List<Tensor> split(int dim, int... sizes) {
        int d = Shapes.dim(dim, shape.length);
        int sum = 0;
        for (int s : sizes) sum += s;
        if (sum != shape[d]) {
            throw new IllegalArgumentException("split sizes " + Arrays.toString(sizes) + " do not add up to dim " + dim + " of " + Shapes.str(shape));
        }
        Tensor[] out = new Tensor[sizes.length];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = narrow(d, at, sizes[i]);
            at += sizes[i];
        }
        return List.of(out);
    }

    // ---------------------------------------------------------------- checks

    void requireFloat(String op) {
        if (dtype() != DType.FLOAT32) throw new IllegalArgumentException(op + " needs a FLOAT32 tensor, got " + this);
    }

    private void requireSameShape(Tensor o, String op) {
        if (!sameShape(o)) throw new IllegalArgumentException(op + ": shapes " + Shapes.str(shape) + " and " + Shapes.str(o.shape) + " differ");
    }

    void sameDevice(Tensor o, String op) {
        if (!device().equals(o.device())) {
            throw new IllegalArgumentException(op + ": tensors on different devices (" + device() + " and " + o.device()
                    + "); move one with to(device) first");
        }
    }
}

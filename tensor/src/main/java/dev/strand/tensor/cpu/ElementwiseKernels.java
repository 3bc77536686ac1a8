package dev.strand.tensor.cpu;

import dev.strand.tensor.BinaryOp;
import dev.strand.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row kernels for elementwise ops: one row is {@code n} elements per operand, each operand at its
 * own offset and stride. The vector path takes rows whose output is contiguous and whose inputs
 * are contiguous (stride 1) or repeated (stride 0); anything else, and every op when SIMD is off,
 * takes the scalar twin.
 *
 * <p>LOG and POW always take the scalar path: the Vector API's versions round differently before
 * and after JIT compilation, and neither is hot in training.
 *
 * <p>There is one loop shape per arity; each op passes it a constant function from a {@code switch}
 * outside the loop, so C2 inlines a specialised copy of the loop per op and keeps every vector in
 * registers. (A {@code switch} inside the loop, or a function chosen at run time, would merge
 * vectors from many allocation sites and box them all.)
 */
public final class ElementwiseKernels {
    private static final float SQRT_2_OVER_PI = 0.7978845608028654f;
    private static final float INV_SQRT_2 = 0.7071067811865476f;
    private static final float INV_SQRT_2PI = 0.3989422804014327f;
    private static final float CDF_P = 0.3275911f, CDF_A1 = 0.254829592f, CDF_A2 = -0.284496736f, CDF_A3 = 1.421413741f,
            CDF_A4 = -1.453152027f, CDF_A5 = 1.061405429f;

    private ElementwiseKernels() {}

    // ---------------------------------------------------------------- scalar definitions

    /** The scalar definition of a unary op. */
    public static float apply(UnaryOp op, float x) {
        return switch (op) {
            case IDENTITY -> x;
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case RELU -> x > 0 ? x : 0f;
            case GELU_ERF -> x * normalCdf(x);
            case GELU_TANH -> 0.5f * x * (1f + (float) Math.tanh(SQRT_2_OVER_PI * (x + 0.044715f * x * x * x)));
            case ABS -> Math.abs(x);
            case RECIPROCAL -> 1f / x;
            case SQUARE -> x * x;
        };
    }

    /** The scalar definition of a binary op. */
    public static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case EQ -> a == b ? 1f : 0f;
            case NE -> a != b ? 1f : 0f;
            case LT -> a < b ? 1f : 0f;
            case LE -> a <= b ? 1f : 0f;
            case GT -> a > b ? 1f : 0f;
            case GE -> a >= b ? 1f : 0f;
            case RELU_BACKWARD -> a > 0 ? b : 0f;
            case GELU_ERF_BACKWARD -> {
                float e = (float) Math.exp(-0.5 * a * a);
                yield b * (normalCdf(a, e) + a * INV_SQRT_2PI * e);
            }
            case GELU_TANH_BACKWARD -> {
                float inner = SQRT_2_OVER_PI * (a + 0.044715f * a * a * a);
                float t = (float) Math.tanh(inner);
                float dInner = SQRT_2_OVER_PI * (1f + 3f * 0.044715f * a * a);
                yield b * (0.5f * (1f + t) + 0.5f * a * (1f - t * t) * dInner);
            }
        };
    }

    /** Φ(x), the standard normal CDF. */
    static float normalCdf(float x) {
        return normalCdf(x, (float) Math.exp(-0.5 * x * x));
    }

    /**
     * Φ(x) given e = exp(−x²/2), the exponential GELU's derivative needs anyway: Abramowitz and
     * Stegun 7.1.26, erfc(z) ≈ t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·exp(−z²) with z = |x|/√2
     * and t = 1/(1 + p·z), absolute error below 1.5e-7, so Φ's is below 1e-7. One exponential,
     * not two: the vector twin stays small enough for the JIT to keep it in registers.
     */
    static float normalCdf(float x, float e) {
        float t = 1f / (1f + CDF_P * INV_SQRT_2 * Math.abs(x));
        float tail = 0.5f * e * t * (CDF_A1 + t * (CDF_A2 + t * (CDF_A3 + t * (CDF_A4 + t * CDF_A5))));   // Φ(−|x|)
        return x >= 0 ? 1f - tail : tail;
    }

    // ---------------------------------------------------------------- vector definitions

    private static FloatVector geluTanh(FloatVector x) {
        return VectorMath.tanh(x.mul(x).mul(0.044715f).add(1f).mul(x).mul(SQRT_2_OVER_PI)).add(1f).mul(x).mul(0.5f);
    }

    // GELU's Φ(x) is written out in its two users, as the scalar normalCdf(x, e): behind a helper
    // taking vectors, C2 runs out of inlining budget and boxes them (4× slower).

    private static FloatVector geluErfBackward(FloatVector a, FloatVector b) {
        FloatVector e = VectorMath.exp(a.mul(a).mul(-0.5f));                               // exp(−a²/2)
        FloatVector t = FloatVector.broadcast(a.species(), 1f).div(a.abs().mul(CDF_P * INV_SQRT_2).add(1f));
        FloatVector tail = t.mul(CDF_A5).add(CDF_A4).mul(t).add(CDF_A3).mul(t).add(CDF_A2).mul(t).add(CDF_A1).mul(t).mul(e).mul(0.5f);  // Φ(−|a|)
        FloatVector cdf = tail.neg().add(1f).blend(tail, a.compare(VectorOperators.LT, 0f));  // Φ(a)
        return a.mul(e).mul(INV_SQRT_2PI).add(cdf).mul(b);                                 // (Φ(a) + a·φ(a))·b
    }

    private static FloatVector geluTanhBackward(FloatVector a, FloatVector b) {
        FloatVector a2 = a.mul(a);
        FloatVector t = VectorMath.tanh(a2.mul(0.044715f).add(1f).mul(a).mul(SQRT_2_OVER_PI));
        FloatVector dInner = a2.mul(3f * 0.044715f).add(1f).mul(SQRT_2_OVER_PI);
        FloatVector oneMinusT2 = t.mul(t).neg().add(1f);
        return t.add(1f).mul(0.5f).add(a.mul(0.5f).mul(oneMinusT2).mul(dInner)).mul(b);
    }

    /** 1.0 where the mask is set, else 0.0. */
    private static FloatVector ones(VectorMask<Float> m) {
        return FloatVector.zero(Simd.SPECIES).blend(1f, m);
    }

    // ---------------------------------------------------------------- row kernels
    //
    // One loop per arity walks the row a vector at a time and, through a switch on the op, calls
    // that op's step: a small method that loads, computes and stores one vector. No vector value
    // ever crosses a call that C2 might not inline, nor merges from two branches, so vectors stay
    // in registers however the JIT decides (a shared loop calling a function object, or a switch
    // yielding vectors, gets compiled for a mix of ops and boxes every vector). A repeated operand
    // (stride 0) is read from a small array filled with its value, so every load has one source.
    // The tail runs the same step on a zero-padded copy. (Masked loads and stores with a mask that
    // C2 cannot see as a constant fall back to Java code; padding keeps every access unmasked.)

    /** out[o + i·os] = op(x[xo + i·xs]) for i in [0, n). */
    public static void unary(UnaryOp op, float[] x, int xo, int xs, float[] out, int oo, int os, int n, boolean vector) {
        if (!vector || os != 1 || (xs != 1 && xs != 0) || op == UnaryOp.LOG) {
            for (int i = 0; i < n; i++) out[oo + i * os] = apply(op, x[xo + i * xs]);
            return;
        }
        int lanes = Simd.SPECIES.length(), i = 0;
        float[] xa = xs == 0 ? repeated(x[xo]) : x;
        int xb = xs == 0 ? 0 : xo;
        for (; i <= n - lanes; i += lanes) unaryStep(op, xa, xb + i * xs, out, oo + i);
        if (i < n) {
            float[] result = new float[lanes];
            unaryStep(op, padded(xa, xb + i * xs, xs, n - i), 0, result, 0);
            System.arraycopy(result, 0, out, oo + i, n - i);
        }
    }

    /** Whether {@code op} is GELU, which {@link #activation} runs in a loop of its own. */
    public static boolean isActivation(UnaryOp op) {
        return op == UnaryOp.GELU_ERF || op == UnaryOp.GELU_TANH;
    }

    /** Whether {@code op} is GELU's derivative, which {@link #activationBackward} runs in a loop of its own. */
    public static boolean isActivationBackward(BinaryOp op) {
        return op == BinaryOp.GELU_ERF_BACKWARD || op == BinaryOp.GELU_TANH_BACKWARD;
    }

    // GELU and its derivative (an exponential and a polynomial each) also get loops of their own,
    // which the backend calls from lambdas of their own, so that C2 compiles them apart: inside
    // the shared switch, beside every other op, it runs out of inlining budget before their
    // exponential and boxes its vectors (several times slower). Unit strides only.

    /** out = op(x) over a contiguous row, op GELU (erf or tanh form). */
    public static void activation(UnaryOp op, float[] x, int xo, float[] out, int oo, int n, boolean vector) {
        int lanes = Simd.SPECIES.length(), i = 0;
        if (vector) {
            if (op == UnaryOp.GELU_ERF) for (; i <= n - lanes; i += lanes) geluErf(x, xo + i, out, oo + i);
            else for (; i <= n - lanes; i += lanes) geluTanh(x, xo + i, out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = apply(op, x[xo + i]);
    }

    /** out = op(a, b) over contiguous rows, op GELU's derivative (erf or tanh form) times b. */
    public static void activationBackward(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] out, int oo, int n, boolean vector) {
        int lanes = Simd.SPECIES.length(), i = 0;
        if (vector) {
            if (op == BinaryOp.GELU_ERF_BACKWARD) for (; i <= n - lanes; i += lanes) geluErfBackward(a, ao + i, b, bo + i, out, oo + i);
            else for (; i <= n - lanes; i += lanes) geluTanhBackward(a, ao + i, b, bo + i, out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = apply(op, a[ao + i], b[bo + i]);
    }

    private static void unaryStep(UnaryOp op, float[] x, int xi, float[] out, int oi) {
        switch (op) {
            case IDENTITY -> identity(x, xi, out, oi);
            case NEG -> neg(x, xi, out, oi);
            case EXP -> exp(x, xi, out, oi);
            case SQRT -> sqrt(x, xi, out, oi);
            case TANH -> tanh(x, xi, out, oi);
            case SIGMOID -> sigmoid(x, xi, out, oi);
            case RELU -> relu(x, xi, out, oi);
            case GELU_ERF -> geluErf(x, xi, out, oi);
            case GELU_TANH -> geluTanh(x, xi, out, oi);
            case ABS -> abs(x, xi, out, oi);
            case RECIPROCAL -> reciprocal(x, xi, out, oi);
            case SQUARE -> square(x, xi, out, oi);
            case LOG -> throw new AssertionError("LOG takes the scalar path");
        }
    }

    private static void identity(float[] x, int xi, float[] out, int oi) {
        FloatVector v = FloatVector.fromArray(Simd.SPECIES, x, xi);
        v.intoArray(out, oi);
    }

    private static void neg(float[] x, int xi, float[] out, int oi) {
        FloatVector v = FloatVector.fromArray(Simd.SPECIES, x, xi);
        v.neg().intoArray(out, oi);
    }

    private static void exp(float[] x, int xi, float[] out, int oi) {
        FloatVector v = FloatVector.fromArray(Simd.SPECIES, x, xi);
        VectorMath.exp(v).intoArray(out, oi);
    }

    private static void sqrt(float[] x, int xi, float[] out, int oi) {
        FloatVector v = FloatVector.fromArray(Simd.SPECIES, x, xi);
        v.sqrt().intoArray(out, oi);
    }

    private static void tanh(float[] x, int xi, float[] out, int oi) {
        FloatVector v = FloatVector.fromArray(Simd.SPECIES, x, xi);
        VectorMath.tanh(v).intoArray(out, oi);
    }

    private static void sigmoid(float[] x, int xi, float[] out, int oi) {
        FloatVector v = FloatVector.fromArray(Simd.SPECIES, x, xi);
        FloatVector.broadcast(Simd.SPECIES, 1f).div(VectorMath.exp(v.neg()).add(1f)).intoArray(out, oi);
    }

    private static void relu(float[] x, int xi, float[] out, int oi) {
        FloatVector v = FloatVector.fromArray(Simd.SPECIES, x, xi);
        v.max(0f).intoArray(out, oi);
    }

    private static void geluErf(float[] x, int xi, float[] out, int oi) {
        FloatVector v = FloatVector.fromArray(Simd.SPECIES, x, xi);
        FloatVector e = VectorMath.exp(v.mul(v).mul(-0.5f));                               // exp(−v²/2)
        FloatVector t = FloatVector.broadcast(Simd.SPECIES, 1f).div(v.abs().mul(CDF_P * INV_SQRT_2).add(1f));
        FloatVector tail = t.mul(CDF_A5).add(CDF_A4).mul(t).add(CDF_A3).mul(t).add(CDF_A2).mul(t).add(CDF_A1).mul(t).mul(e).mul(0.5f);  // Φ(−|v|)
        v.mul(tail.neg().add(1f).blend(tail, v.compare(VectorOperators.LT, 0f))).intoArray(out, oi);                                   // v·Φ(v)
    }

    private static void geluTanh(float[] x, int xi, float[] out, int oi) {
        FloatVector v = FloatVector.fromArray(Simd.SPECIES, x, xi);
        geluTanh(v).intoArray(out, oi);
    }

    private static void abs(float[] x, int xi, float[] out, int oi) {
        FloatVector v = FloatVector.fromArray(Simd.SPECIES, x, xi);
        v.abs().intoArray(out, oi);
    }

    private static void reciprocal(float[] x, int xi, float[] out, int oi) {
        FloatVector v = FloatVector.fromArray(Simd.SPECIES, x, xi);
        FloatVector.broadcast(Simd.SPECIES, 1f).div(v).intoArray(out, oi);
    }

    private static void square(float[] x, int xi, float[] out, int oi) {
        FloatVector v = FloatVector.fromArray(Simd.SPECIES, x, xi);
        v.mul(v).intoArray(out, oi);
    }

    /** out[o + i·os] = op(a[ao + i·as], b[bo + i·bs]) for i in [0, n). */
    public static void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
                              float[] out, int oo, int os, int n, boolean vector) {
        if (!vector || os != 1 || (as != 1 && as != 0) || (bs != 1 && bs != 0) || op == BinaryOp.POW) {
            for (int i = 0; i < n; i++) out[oo + i * os] = apply(op, a[ao + i * as], b[bo + i * bs]);
            return;
        }
        int lanes = Simd.SPECIES.length(), i = 0;
        float[] aa = as == 0 ? repeated(a[ao]) : a, ba = bs == 0 ? repeated(b[bo]) : b;
        int ab = as == 0 ? 0 : ao, bb = bs == 0 ? 0 : bo;
        for (; i <= n - lanes; i += lanes) binaryStep(op, aa, ab + i * as, ba, bb + i * bs, out, oo + i);
        if (i < n) {
            float[] result = new float[lanes];
            binaryStep(op, padded(aa, ab + i * as, as, n - i), 0, padded(ba, bb + i * bs, bs, n - i), 0, result, 0);
            System.arraycopy(result, 0, out, oo + i, n - i);
        }
    }

    private static void binaryStep(BinaryOp op, float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        switch (op) {
            case ADD -> addStep(a, ai, b, bi, out, oi);
            case SUB -> subStep(a, ai, b, bi, out, oi);
            case MUL -> mulStep(a, ai, b, bi, out, oi);
            case DIV -> divStep(a, ai, b, bi, out, oi);
            case MAXIMUM -> maximum(a, ai, b, bi, out, oi);
            case MINIMUM -> minimum(a, ai, b, bi, out, oi);
            case EQ -> eq(a, ai, b, bi, out, oi);
            case NE -> ne(a, ai, b, bi, out, oi);
            case LT -> lt(a, ai, b, bi, out, oi);
            case LE -> le(a, ai, b, bi, out, oi);
            case GT -> gt(a, ai, b, bi, out, oi);
            case GE -> ge(a, ai, b, bi, out, oi);
            case RELU_BACKWARD -> reluBackward(a, ai, b, bi, out, oi);
            case GELU_ERF_BACKWARD -> geluErfBackward(a, ai, b, bi, out, oi);
            case GELU_TANH_BACKWARD -> geluTanhBackward(a, ai, b, bi, out, oi);
            case POW -> throw new AssertionError("POW takes the scalar path");
        }
    }

    private static void addStep(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        x.add(y).intoArray(out, oi);
    }

    private static void subStep(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        x.sub(y).intoArray(out, oi);
    }

    private static void mulStep(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        x.mul(y).intoArray(out, oi);
    }

    private static void divStep(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        x.div(y).intoArray(out, oi);
    }

    private static void maximum(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        x.max(y).intoArray(out, oi);
    }

    private static void minimum(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        x.min(y).intoArray(out, oi);
    }

    private static void eq(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        ones(x.compare(VectorOperators.EQ, y)).intoArray(out, oi);
    }

    private static void ne(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        ones(x.compare(VectorOperators.NE, y)).intoArray(out, oi);
    }

    private static void lt(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        ones(x.compare(VectorOperators.LT, y)).intoArray(out, oi);
    }

    private static void le(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        ones(x.compare(VectorOperators.LE, y)).intoArray(out, oi);
    }

    private static void gt(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        ones(x.compare(VectorOperators.GT, y)).intoArray(out, oi);
    }

    private static void ge(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        ones(x.compare(VectorOperators.GE, y)).intoArray(out, oi);
    }

    private static void reluBackward(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        FloatVector.zero(Simd.SPECIES).blend(y, x.compare(VectorOperators.GT, 0f)).intoArray(out, oi);
    }

    private static void geluErfBackward(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        geluErfBackward(x, y).intoArray(out, oi);
    }

    private static void geluTanhBackward(float[] a, int ai, float[] b, int bi, float[] out, int oi) {
        FloatVector x = FloatVector.fromArray(Simd.SPECIES, a, ai), y = FloatVector.fromArray(Simd.SPECIES, b, bi);
        geluTanhBackward(x, y).intoArray(out, oi);
    }

    /** The last partial vector of a row, zero-padded to a full vector (a repeated operand is already full). */
    private static float[] padded(float[] src, int from, int stride, int count) {
        if (stride == 0) return src;
        float[] p = new float[Simd.SPECIES.length()];
        System.arraycopy(src, from, p, 0, count);
        return p;
    }

    /** A vector's worth of copies of v, for reading a repeated operand like a contiguous one. */
    private static float[] repeated(float v) {
        float[] r = new float[Simd.SPECIES.length()];
        java.util.Arrays.fill(r, v);
        return r;
    }

    /** out = cond != 0 ? a : b over one row. */
    public static void where(float[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs,
                             float[] out, int oo, int os, int n, boolean vector) {
        int i = 0;
        if (vector && os == 1 && cs == 1 && as == 1 && bs == 1) {
            VectorSpecies<Float> s = Simd.SPECIES;
            int lanes = s.length();
            for (; i <= n - lanes; i += lanes) {
                VectorMask<Float> pick = FloatVector.fromArray(s, c, co + i).compare(VectorOperators.NE, 0f);
                FloatVector.fromArray(s, b, bo + i).blend(FloatVector.fromArray(s, a, ao + i), pick).intoArray(out, oo + i);
            }
        }
        for (; i < n; i++) out[oo + i * os] = c[co + i * cs] != 0f ? a[ao + i * as] : b[bo + i * bs];
    }

    /**
     * One row of {@link dev.strand.tensor.Tensor#rotateHalf}: out₁ = x₁·cos − x₂·sin and
     * out₂ = x₂·cos + x₁·sin, the halves at their own offsets with shared strides.
     */
    public static void rotateHalf(float[] x, int x1, int x2, int xs, float[] cos, int co, float[] sin, int so, int ts,
                                  float[] out, int o1, int o2, int os, int n, boolean vector) {
        int i = 0;
        if (vector && xs == 1 && ts == 1 && os == 1) {
            VectorSpecies<Float> s = Simd.SPECIES;
            for (; i <= n - s.length(); i += s.length()) {
                FloatVector a = FloatVector.fromArray(s, x, x1 + i), b = FloatVector.fromArray(s, x, x2 + i);
                FloatVector c = FloatVector.fromArray(s, cos, co + i), sn = FloatVector.fromArray(s, sin, so + i);
                a.mul(c).sub(b.mul(sn)).intoArray(out, o1 + i);
                b.mul(c).add(a.mul(sn)).intoArray(out, o2 + i);
            }
        }
        for (; i < n; i++) {
            float a = x[x1 + i * xs], b = x[x2 + i * xs], c = cos[co + i * ts], sn = sin[so + i * ts];
            out[o1 + i * os] = a * c - b * sn;
            out[o2 + i * os] = b * c + a * sn;
        }
    }
}

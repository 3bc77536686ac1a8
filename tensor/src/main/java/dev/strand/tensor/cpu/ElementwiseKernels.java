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
 * <p>The op is dispatched with a {@code switch} inside the loop rather than through a lambda: C2
 * then inlines every vector operation, keeps vectors in registers and hoists the branch, where a
 * megamorphic call would box each vector.
 */
public final class ElementwiseKernels {
    private static final float SQRT_2_OVER_PI = 0.7978845608028654f;
    private static final float INV_SQRT_2 = 0.7071067811865476f;
    private static final float INV_SQRT_2PI = 0.3989422804014327f;

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
            case GELU_ERF_BACKWARD -> b * (normalCdf(a) + a * INV_SQRT_2PI * (float) Math.exp(-0.5 * a * a));
            case GELU_TANH_BACKWARD -> {
                float inner = SQRT_2_OVER_PI * (a + 0.044715f * a * a * a);
                float t = (float) Math.tanh(inner);
                float dInner = SQRT_2_OVER_PI * (1f + 3f * 0.044715f * a * a);
                yield b * (0.5f * (1f + t) + 0.5f * a * (1f - t * t) * dInner);
            }
        };
    }

    /** Φ(x), the standard normal CDF, from {@link #erfc} so both tails keep relative accuracy. */
    static float normalCdf(float x) {
        float e = erfc(Math.abs(x) * INV_SQRT_2);
        return x >= 0 ? 1f - 0.5f * e : 0.5f * e;
    }

    /** erfc(z) for z ≥ 0 by a Chebyshev fit with fractional error below 1.2e-7 (Numerical Recipes erfcc). */
    static float erfc(float z) {
        float t = 1f / (1f + 0.5f * z);
        return t * (float) Math.exp(-z * z + erfcPoly(t));
    }

    private static float erfcPoly(float t) {
        return -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f
                + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));
    }

    // ---------------------------------------------------------------- vector definitions

    private static FloatVector apply(UnaryOp op, FloatVector x) {
        VectorSpecies<Float> s = x.species();
        return switch (op) {
            case IDENTITY -> x;
            case NEG -> x.neg();
            case EXP -> VectorMath.exp(x);
            case LOG -> throw new AssertionError("LOG takes the scalar path");
            case SQRT -> x.sqrt();
            case TANH -> VectorMath.tanh(x);
            case SIGMOID -> FloatVector.broadcast(s, 1f).div(VectorMath.exp(x.neg()).add(1f));
            case RELU -> x.max(0f);
            case GELU_ERF -> x.mul(normalCdf(x));
            case GELU_TANH -> {
                FloatVector inner = x.mul(x).mul(0.044715f).add(1f).mul(x).mul(SQRT_2_OVER_PI);
                yield VectorMath.tanh(inner).add(1f).mul(x).mul(0.5f);
            }
            case ABS -> x.abs();
            case RECIPROCAL -> FloatVector.broadcast(s, 1f).div(x);
            case SQUARE -> x.mul(x);
        };
    }

    private static FloatVector apply(BinaryOp op, FloatVector a, FloatVector b) {
        FloatVector zero = FloatVector.zero(a.species());
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case POW -> throw new AssertionError("POW takes the scalar path");
            case MAXIMUM -> a.max(b);
            case MINIMUM -> a.min(b);
            case EQ -> zero.blend(1f, a.compare(VectorOperators.EQ, b));
            case NE -> zero.blend(1f, a.compare(VectorOperators.NE, b));
            case LT -> zero.blend(1f, a.compare(VectorOperators.LT, b));
            case LE -> zero.blend(1f, a.compare(VectorOperators.LE, b));
            case GT -> zero.blend(1f, a.compare(VectorOperators.GT, b));
            case GE -> zero.blend(1f, a.compare(VectorOperators.GE, b));
            case RELU_BACKWARD -> zero.blend(b, a.compare(VectorOperators.GT, 0f));
            case GELU_ERF_BACKWARD -> {
                FloatVector pdf = VectorMath.exp(a.mul(a).mul(-0.5f)).mul(INV_SQRT_2PI);
                yield a.mul(pdf).add(normalCdf(a)).mul(b);
            }
            case GELU_TANH_BACKWARD -> {
                FloatVector a2 = a.mul(a);
                FloatVector t = VectorMath.tanh(a2.mul(0.044715f).add(1f).mul(a).mul(SQRT_2_OVER_PI));
                FloatVector dInner = a2.mul(3f * 0.044715f).add(1f).mul(SQRT_2_OVER_PI);
                FloatVector oneMinusT2 = t.mul(t).neg().add(1f);
                yield t.add(1f).mul(0.5f).add(a.mul(0.5f).mul(oneMinusT2).mul(dInner)).mul(b);
            }
        };
    }

    private static FloatVector normalCdf(FloatVector x) {
        FloatVector z = x.abs().mul(INV_SQRT_2);
        FloatVector t = z.mul(0.5f).add(1f);
        t = FloatVector.broadcast(x.species(), 1f).div(t);
        FloatVector poly = t.mul(0.17087277f).add(-0.82215223f);
        poly = poly.mul(t).add(1.48851587f);
        poly = poly.mul(t).add(-1.13520398f);
        poly = poly.mul(t).add(0.27886807f);
        poly = poly.mul(t).add(-0.18628806f);
        poly = poly.mul(t).add(0.09678418f);
        poly = poly.mul(t).add(0.37409196f);
        poly = poly.mul(t).add(1.00002368f);
        poly = poly.mul(t).add(-1.26551223f);
        FloatVector e = t.mul(VectorMath.exp(z.mul(z).neg().add(poly)));   // erfc(|x|/√2)
        FloatVector half = e.mul(0.5f);
        return half.neg().add(1f).blend(half, x.compare(VectorOperators.LT, 0f));
    }

    // ---------------------------------------------------------------- row kernels

    /** out[o + i·os] = op(x[xo + i·xs]) for i in [0, n). */
    public static void unary(UnaryOp op, float[] x, int xo, int xs, float[] out, int oo, int os, int n, boolean vector) {
        int i = 0;
        if (vector && os == 1 && (xs == 1 || xs == 0) && op != UnaryOp.LOG) {
            VectorSpecies<Float> s = Simd.SPECIES;
            int lanes = s.length();
            FloatVector xRepeated = xs == 0 ? FloatVector.broadcast(s, x[xo]) : null;
            for (; i <= n - lanes; i += lanes) {
                FloatVector vx = xs == 0 ? xRepeated : FloatVector.fromArray(s, x, xo + i);
                apply(op, vx).intoArray(out, oo + i);
            }
            if (i < n) {
                VectorMask<Float> m = s.indexInRange(i, n);
                FloatVector vx = xs == 0 ? xRepeated : FloatVector.fromArray(s, x, xo + i, m);
                apply(op, vx).intoArray(out, oo + i, m);
            }
            return;
        }
        for (; i < n; i++) out[oo + i * os] = apply(op, x[xo + i * xs]);
    }

    /** out[o + i·os] = op(a[ao + i·as], b[bo + i·bs]) for i in [0, n). */
    public static void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs,
                              float[] out, int oo, int os, int n, boolean vector) {
        int i = 0;
        if (vector && os == 1 && (as == 1 || as == 0) && (bs == 1 || bs == 0) && op != BinaryOp.POW) {
            VectorSpecies<Float> s = Simd.SPECIES;
            int lanes = s.length();
            FloatVector aRepeated = as == 0 ? FloatVector.broadcast(s, a[ao]) : null;
            FloatVector bRepeated = bs == 0 ? FloatVector.broadcast(s, b[bo]) : null;
            for (; i <= n - lanes; i += lanes) {
                FloatVector va = as == 0 ? aRepeated : FloatVector.fromArray(s, a, ao + i);
                FloatVector vb = bs == 0 ? bRepeated : FloatVector.fromArray(s, b, bo + i);
                apply(op, va, vb).intoArray(out, oo + i);
            }
            if (i < n) {
                VectorMask<Float> m = s.indexInRange(i, n);
                FloatVector va = as == 0 ? aRepeated : FloatVector.fromArray(s, a, ao + i, m);
                FloatVector vb = bs == 0 ? bRepeated : FloatVector.fromArray(s, b, bo + i, m);
                apply(op, va, vb).intoArray(out, oo + i, m);
            }
            return;
        }
        for (; i < n; i++) out[oo + i * os] = apply(op, a[ao + i * as], b[bo + i * bs]);
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
}

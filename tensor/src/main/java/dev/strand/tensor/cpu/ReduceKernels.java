package dev.strand.tensor.cpu;

import dev.strand.tensor.BinaryOp;
import dev.strand.tensor.ReduceOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Reductions over one dim of a contiguous tensor seen as [outer, d, inner]. With inner = 1 each
 * output is a horizontal reduction of a contiguous row (vector accumulators, lanes reduced once at
 * the end); otherwise whole inner rows are combined elementwise, which vectorises over inner.
 */
public final class ReduceKernels {
    private static final int PARALLEL_ELEMENTS = 1 << 15;

    private ReduceKernels() {}

    /**
     * Reduces x[xo …] ([outer, d, inner], contiguous) into out[outer·inner] (floats, or ints for
     * ARGMAX).
     */
    public static void reduce(ReduceOp op, float[] x, int xo, int outer, int d, int inner,
                              float[] out, int[] outInts, boolean vector) {
        int grain = Math.max(1, PARALLEL_ELEMENTS / Math.max(1, d * inner));
        Parallel.forRange(outer, grain, (start, end) -> {
            for (int o = start; o < end; o++) {
                int base = xo + o * d * inner;
                if (op == ReduceOp.ARGMAX) {
                    for (int i = 0; i < inner; i++) outInts[o * inner + i] = argmax(x, base + i, inner, d);
                } else if (inner == 1) {
                    out[o] = switch (op) {
                        case SUM -> sum(x, base, d, vector);
                        case MEAN -> sum(x, base, d, vector) / d;
                        case MAX -> max(x, base, d, vector);
                        case MIN -> -maxOfNegated(x, base, d);
                        default -> throw new AssertionError(op);
                    };
                } else {
                    combineRows(op, x, base, d, inner, out, o * inner, vector);
                }
            }
        });
    }

    private static void combineRows(ReduceOp op, float[] x, int base, int d, int inner, float[] out, int oo, boolean vector) {
        BinaryOp combine = switch (op) {
            case SUM, MEAN -> BinaryOp.ADD;
            case MAX -> BinaryOp.MAXIMUM;
            case MIN -> BinaryOp.MINIMUM;
            default -> throw new AssertionError(op);
        };
        System.arraycopy(x, base, out, oo, inner);
        for (int j = 1; j < d; j++) {
            ElementwiseKernels.binary(combine, out, oo, 1, x, base + j * inner, 1, out, oo, 1, inner, vector);
        }
        if (op == ReduceOp.MEAN) {
            float inv = 1f / d;
            for (int i = 0; i < inner; i++) out[oo + i] *= inv;
        }
    }

    /** Σ x[o … o+n). */
    public static float sum(float[] x, int o, int n, boolean vector) {
        int i = 0;
        float s = 0f;
        if (vector) {
            VectorSpecies<Float> sp = Simd.SPECIES;
            int lanes = sp.length();
            FloatVector acc = FloatVector.zero(sp);
            for (; i <= n - lanes; i += lanes) acc = acc.add(FloatVector.fromArray(sp, x, o + i));
            s = VectorMath.sumLanes(acc);   // the tail runs scalar below: a masked load whose mask C2 cannot see as a constant falls back to slow Java code
        }
        for (; i < n; i++) s += x[o + i];
        return s;
    }

    /** max x[o … o+n), n ≥ 1. */
    public static float max(float[] x, int o, int n, boolean vector) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (vector) {
            VectorSpecies<Float> sp = Simd.SPECIES;
            int lanes = sp.length();
            FloatVector acc = FloatVector.broadcast(sp, Float.NEGATIVE_INFINITY);
            for (; i <= n - lanes; i += lanes) acc = acc.max(FloatVector.fromArray(sp, x, o + i));
            m = acc.reduceLanes(VectorOperators.MAX);       // the tail runs scalar below, as in sum
        }
        for (; i < n; i++) m = Math.max(m, x[o + i]);
        return m;
    }

    private static float maxOfNegated(float[] x, int o, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, -x[o + i]);
        return m;
    }

    private static int argmax(float[] x, int o, int stride, int n) {
        int best = 0;
        float m = x[o];
        for (int j = 1; j < n; j++) {
            float v = x[o + j * stride];
            if (v > m || (Float.isNaN(v) && !Float.isNaN(m))) {
                m = v;
                best = j;
            }
        }
        return best;
    }
}

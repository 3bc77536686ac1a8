package dev.strand.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/**
 * Transcendental functions and lane sums on vectors, built only from correctly rounded operations
 * (add, mul, fma, div, bit shifts). The Vector API's own EXP/TANH and reduceLanes(ADD) round
 * differently when interpreted than when C2 compiles them to SVML calls and tree reductions, so a
 * computation would change with JIT warm-up; these give the same bits either way.
 */
final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f;   // 1.5·2^23: x + ROUND − ROUND rounds x to an integer
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final float EXP_MAX = 88.3762626647949f, EXP_MIN = -87.3365447505531f;

    private VectorMath() {}

    /**
     * e^x with a relative error of about 2 ulp (Cephes expf): x = n·ln2 + r, |r| ≤ ln2/2,
     * e^r by a degree-6 polynomial, 2^n by building the exponent bits. Below −87.34 gives 0 (so
     * masked −∞ logits vanish), above 88.38 gives +∞; NaN stays NaN.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(EXP_MIN).min(EXP_MAX);
        // n = round(x·log2 e): adding 1.5·2^23 leaves n + 127 in the low mantissa bits of `shifted`.
        FloatVector shifted = clamped.mul(LOG2E).add(ROUND + 127f);
        FloatVector n = shifted.sub(ROUND + 127f);
        FloatVector r = clamped.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
        FloatVector p = r.mul(1.9875691500e-4f).add(1.3981999507e-3f);
        p = p.mul(r).add(8.3334519073e-3f);
        p = p.mul(r).add(4.1665795894e-2f);
        p = p.mul(r).add(1.6666665459e-1f);
        p = p.mul(r).add(5.0000001201e-1f);
        p = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n: move n + 127 from the mantissa into the exponent field.
        FloatVector twoToN = shifted.reinterpretAsInts().sub(ROUND_BITS).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector result = p.mul(twoToN);
        result = result.blend(0f, x.compare(VectorOperators.LT, EXP_MIN));
        result = result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_MAX));
        return result.blend(x, x.compare(VectorOperators.NE, x));   // NaN stays NaN
    }

    /** tanh(x) = sign(x)·(1 − 2/(e^{2|x|} + 1)); absolute error about 1e-7. */
    static FloatVector tanh(FloatVector x) {
        FloatVector e = exp(x.abs().mul(2f));
        FloatVector t = FloatVector.broadcast(x.species(), 1f).sub(FloatVector.broadcast(x.species(), 2f).div(e.add(1f)));
        return t.blend(t.neg(), x.compare(VectorOperators.LT, 0f));
    }

    /**
     * Shuffle k rotates the lanes by L/2^(k+1): adding a vector to its rotations by L/2, L/4, …, 1
     * leaves the sum of all lanes in lane 0.
     */
    private static final VectorShuffle<Float>[] HALVINGS = halvings();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] halvings() {
        int lanes = Simd.SPECIES.length(), levels = Integer.numberOfTrailingZeros(lanes);
        VectorShuffle<Float>[] shuffles = new VectorShuffle[levels];
        for (int k = 0, w = lanes / 2; k < levels; k++, w /= 2) {
            int width = w;
            shuffles[k] = VectorShuffle.fromOp(Simd.SPECIES, i -> (i + width) % lanes);
        }
        return shuffles;
    }

    /**
     * The sum of the lanes as a fixed tree: lane i plus lane i + L/2, then i + L/4, … (for 8 lanes
     * ((v0+v4) + (v2+v6)) + ((v1+v5) + (v3+v7))). Lanewise adds round the same interpreted or
     * compiled, so the order never changes; a vector register shuffle per level, no array.
     */
    static float sumLanes(FloatVector v) {
        for (VectorShuffle<Float> s : HALVINGS) v = v.add(v.rearrange(s));
        return v.lane(0);
    }
}

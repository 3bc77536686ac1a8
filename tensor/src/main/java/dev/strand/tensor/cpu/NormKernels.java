package dev.strand.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row kernels for softmax, log-softmax and layer norm, forward and backward, over contiguous rows
 * of length n. Each is fused: one pass for the row statistics, one for the result.
 */
public final class NormKernels {
    private NormKernels() {}

    /** out = softmax(x) (or log-softmax) of one row; subtracts the row max so large logits stay finite. */
    public static void softmaxRow(float[] x, int xo, float[] out, int oo, int n, boolean log, boolean vector) {
        softmaxRow(x, xo, out, oo, n, log, 1f, vector);
    }

    /**
     * out = softmax(scale·x) of one row, scale > 0: attention's scores scaled in the same pass
     * (the row max of scale·x is scale times that of x).
     */
    public static void scaledSoftmaxRow(float[] x, int xo, float[] out, int oo, int n, float scale, boolean vector) {
        softmaxRow(x, xo, out, oo, n, false, scale, vector);
    }

    /** softmax(scale·x), or log-softmax(x) with scale 1. */
    private static void softmaxRow(float[] x, int xo, float[] out, int oo, int n, boolean log, float scale, boolean vector) {
        float max = ReduceKernels.max(x, xo, n, vector);
        if (max == Float.NEGATIVE_INFINITY) max = 0f; // a fully masked row: keep exp(-inf - 0) = 0, not NaN
        int i = 0;
        float sum = 0f;
        if (vector) {
            VectorSpecies<Float> s = Simd.SPECIES;
            int lanes = s.length();
            FloatVector acc = FloatVector.zero(s);
            // The tail runs scalar: a masked vector step with a mask C2 cannot see as a constant, or
            // a call into the elementwise kernels, makes this method too big to compile well.
            for (; i <= n - lanes; i += lanes) {
                FloatVector e = VectorMath.exp(FloatVector.fromArray(s, x, xo + i).sub(max).mul(scale));
                if (!log) e.intoArray(out, oo + i);
                acc = acc.add(e);
            }
            sum = VectorMath.sumLanes(acc);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp((x[xo + i] - max) * scale);
            if (!log) out[oo + i] = e;
            sum += e;
        }
        if (log) {
            float shift = max + (float) Math.log(sum);
            int j = 0;
            if (vector) {
                VectorSpecies<Float> s = Simd.SPECIES;
                for (; j <= n - s.length(); j += s.length()) FloatVector.fromArray(s, x, xo + j).sub(shift).intoArray(out, oo + j);
            }
            for (; j < n; j++) out[oo + j] = x[xo + j] - shift;
        } else {
            float inv = 1f / sum;
            int j = 0;
            if (vector) {
                VectorSpecies<Float> s = Simd.SPECIES;
                for (; j <= n - s.length(); j += s.length()) FloatVector.fromArray(s, out, oo + j).mul(inv).intoArray(out, oo + j);
            }
            for (; j < n; j++) out[oo + j] *= inv;
        }
    }

    /** Gradient of one softmax row (gx = y·(gy − Σ gy·y)) or log-softmax row (gx = gy − exp(y)·Σ gy). */
    public static void softmaxBackwardRow(float[] y, int yo, float[] gy, int go, float[] gx, int xo, int n, boolean log, boolean vector) {
        if (log) logSoftmaxBackwardRow(y, yo, gy, go, gx, xo, n, vector);
        else scaledSoftmaxBackwardRow(y, yo, gy, go, gx, xo, n, 1f, vector);
    }

    /** Gradient of one row of softmax(scale·x) for its output y: gx = scale·y·(gy − Σ gy·y). */
    public static void scaledSoftmaxBackwardRow(float[] y, int yo, float[] gy, int go, float[] gx, int xo, int n, float scale, boolean vector) {
        float dot = dot(y, yo, gy, go, n, vector);
        int i = 0;
        if (vector) {
            VectorSpecies<Float> s = Simd.SPECIES;
            for (; i <= n - s.length(); i += s.length()) {
                FloatVector yv = FloatVector.fromArray(s, y, yo + i).mul(scale);
                FloatVector.fromArray(s, gy, go + i).sub(dot).mul(yv).intoArray(gx, xo + i);
            }
        }
        for (; i < n; i++) gx[xo + i] = scale * y[yo + i] * (gy[go + i] - dot);
    }

    private static void logSoftmaxBackwardRow(float[] y, int yo, float[] gy, int go, float[] gx, int xo, int n, boolean vector) {
        float sum = ReduceKernels.sum(gy, go, n, vector);
        int i = 0;
        if (vector) {
            VectorSpecies<Float> s = Simd.SPECIES;
            for (; i <= n - s.length(); i += s.length()) {
                FloatVector p = VectorMath.exp(FloatVector.fromArray(s, y, yo + i));
                FloatVector.fromArray(s, gy, go + i).sub(p.mul(sum)).intoArray(gx, xo + i);
            }
        }
        for (; i < n; i++) gx[xo + i] = gy[go + i] - (float) Math.exp(y[yo + i]) * sum;
    }

    /** Σ a·b over one row. */
    public static float dot(float[] a, int ao, float[] b, int bo, int n, boolean vector) {
        int i = 0;
        float s = 0f;
        if (vector) {
            VectorSpecies<Float> sp = Simd.SPECIES;
            FloatVector acc = FloatVector.zero(sp);
            for (; i <= n - sp.length(); i += sp.length()) {
                acc = FloatVector.fromArray(sp, a, ao + i).fma(FloatVector.fromArray(sp, b, bo + i), acc);
            }
            s = VectorMath.sumLanes(acc);
        }
        for (; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    /**
     * Layer norm of one row: out = (x − mean)·rstd·gamma + beta (gamma/beta null = 1/0). Returns
     * {mean, rstd}; the variance is taken about the mean in a second pass, which stays accurate
     * when |mean| ≫ std.
     */
    public static void layerNormRow(float[] x, int xo, float[] gamma, float[] beta, float eps,
                                    float[] out, int oo, int n, float[] stats, int so, boolean vector) {
        float mean = ReduceKernels.sum(x, xo, n, vector) / n;
        int i = 0;
        float ss = 0f;
        if (vector) {
            VectorSpecies<Float> s = Simd.SPECIES;
            FloatVector acc = FloatVector.zero(s);
            for (; i <= n - s.length(); i += s.length()) {
                FloatVector c = FloatVector.fromArray(s, x, xo + i).sub(mean);
                acc = c.fma(c, acc);
            }
            ss = VectorMath.sumLanes(acc);
        }
        for (; i < n; i++) {
            float c = x[xo + i] - mean;
            ss += c * c;
        }
        float rstd = (float) (1.0 / Math.sqrt(ss / n + eps));
        stats[so] = mean;
        stats[so + 1] = rstd;
        i = 0;
        if (vector) {
            VectorSpecies<Float> s = Simd.SPECIES;
            for (; i <= n - s.length(); i += s.length()) {
                FloatVector v = FloatVector.fromArray(s, x, xo + i).sub(mean).mul(rstd);
                if (gamma != null) v = v.mul(FloatVector.fromArray(s, gamma, i));
                if (beta != null) v = v.add(FloatVector.fromArray(s, beta, i));
                v.intoArray(out, oo + i);
            }
        }
        for (; i < n; i++) {
            float v = (x[xo + i] - mean) * rstd;
            if (gamma != null) v *= gamma[i];
            if (beta != null) v += beta[i];
            out[oo + i] = v;
        }
    }

    /**
     * Input gradient of one layer-norm row: with x̂ = (x − mean)·rstd and d = gy·gamma,
     * gx = rstd·(d − mean(d) − x̂·mean(d·x̂)). Adds gy·x̂ into ggamma and gy into gbeta when given
     * (the caller gives each thread its own accumulators).
     */
    public static void layerNormBackwardRow(float[] x, int xo, float[] gamma, float mean, float rstd,
                                            float[] gy, int go, float[] gx, int gxo, int n,
                                            float[] ggamma, float[] gbeta, boolean vector) {
        float sumD = 0f, sumDXhat = 0f;
        int i = 0;
        if (vector) {
            VectorSpecies<Float> s = Simd.SPECIES;
            FloatVector accD = FloatVector.zero(s), accDXhat = FloatVector.zero(s);
            for (; i <= n - s.length(); i += s.length()) {
                FloatVector xhat = FloatVector.fromArray(s, x, xo + i).sub(mean).mul(rstd);
                FloatVector g = FloatVector.fromArray(s, gy, go + i);
                FloatVector d = gamma != null ? g.mul(FloatVector.fromArray(s, gamma, i)) : g;
                accD = accD.add(d);
                accDXhat = d.fma(xhat, accDXhat);
                if (ggamma != null) g.fma(xhat, FloatVector.fromArray(s, ggamma, i)).intoArray(ggamma, i);
                if (gbeta != null) g.add(FloatVector.fromArray(s, gbeta, i)).intoArray(gbeta, i);
            }
            sumD = VectorMath.sumLanes(accD);
            sumDXhat = VectorMath.sumLanes(accDXhat);
        }
        for (int j = i; j < n; j++) {
            float xhat = (x[xo + j] - mean) * rstd;
            float d = gy[go + j] * (gamma != null ? gamma[j] : 1f);
            sumD += d;
            sumDXhat += d * xhat;
            if (ggamma != null) ggamma[j] += gy[go + j] * xhat;
            if (gbeta != null) gbeta[j] += gy[go + j];
        }
        float meanD = sumD / n, meanDXhat = sumDXhat / n;
        i = 0;
        if (vector) {
            VectorSpecies<Float> s = Simd.SPECIES;
            for (; i <= n - s.length(); i += s.length()) {
                FloatVector xhat = FloatVector.fromArray(s, x, xo + i).sub(mean).mul(rstd);
                FloatVector g = FloatVector.fromArray(s, gy, go + i);
                FloatVector d = gamma != null ? g.mul(FloatVector.fromArray(s, gamma, i)) : g;
                d.sub(meanD).sub(xhat.mul(meanDXhat)).mul(rstd).intoArray(gx, gxo + i);
            }
        }
        for (; i < n; i++) {
            float xhat = (x[xo + i] - mean) * rstd;
            float d = gy[go + i] * (gamma != null ? gamma[i] : 1f);
            gx[gxo + i] = rstd * (d - meanD - xhat * meanDXhat);
        }
    }
}

package dev.strand.tensor;

import java.util.Arrays;

/**
 * The normalisations of {@link Tensor}, forward and backward, each one fused backend kernel:
 * softmax and log-softmax over one dim, layer norm over the last dim.
 */
final class Normalization {
    private Normalization() {}

    /** Softmax (log false) or log-softmax (log true) over {@code dim}. */
    static Tensor softmax(Tensor x, int dim, boolean log) {
        x.requireFloat("softmax");
        int d = Shapes.dim(dim, x.shape.length);
        Tensor out = x.zerosLike(x.shape);
        x.backend().softmax(x, d, log, out);
        return out;
    }

    /** The input gradient of softmax/log-softmax over {@code dim}, given its output y and gy. */
    static Tensor softmaxBackward(Tensor y, Tensor gy, int dim, boolean log) {
        y.requireSameShape(gy, "softmaxBackward");
        y.sameDevice(gy, "softmaxBackward");
        Tensor gx = y.zerosLike(y.shape);
        y.backend().softmaxBackward(y, gy, Shapes.dim(dim, y.shape.length), log, gx);
        return gx;
    }

    static Tensor.LayerNormResult layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        int[] shape = x.shape;
        x.requireFloat("layerNorm");
        if (shape.length == 0) throw new IllegalArgumentException("layerNorm needs at least 1 dim");
        int c = shape[shape.length - 1];
        for (Tensor p : new Tensor[] {weight, bias}) {
            if (p != null && (p.shape.length != 1 || p.shape[0] != c)) {
                throw new IllegalArgumentException("layerNorm weight/bias shape " + Shapes.str(p.shape) + " does not match last dim of " + Shapes.str(shape));
            }
            if (p != null) x.sameDevice(p, "layerNorm");
        }
        int[] rows = Arrays.copyOf(shape, shape.length - 1);
        Tensor out = x.zerosLike(shape), mean = x.zerosLike(rows), rstd = x.zerosLike(rows);
        x.backend().layerNorm(x, weight, bias, eps, out, mean, rstd);
        return new Tensor.LayerNormResult(out, mean, rstd);
    }

    static Tensor.LayerNormGrads layerNormBackward(Tensor x, Tensor weight, Tensor.LayerNormResult forward, Tensor gy,
                                                   boolean weightGrad, boolean biasGrad) {
        x.requireSameShape(gy, "layerNormBackward");
        x.sameDevice(gy, "layerNormBackward");
        x.sameDevice(forward.mean(), "layerNormBackward");
        if (weight != null) x.sameDevice(weight, "layerNormBackward");
        int c = x.shape[x.shape.length - 1];
        Tensor gx = x.zerosLike(x.shape);
        Tensor gw = weightGrad ? x.zerosLike(c) : null, gb = biasGrad ? x.zerosLike(c) : null;
        x.backend().layerNormBackward(x, weight, forward.mean(), forward.rstd(), gy, gx, gw, gb);
        return new Tensor.LayerNormGrads(gx, gw, gb);
    }
}

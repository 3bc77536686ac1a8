package dev.strand.tensor;

import java.util.Arrays;

/**
 * The elementwise operations of {@link Tensor} on FLOAT32 tensors: one op per element
 * ({@link #map}), per broadcast pair ({@link #zip}, {@link #applyInPlace}) or per broadcast
 * triple ({@link #where}), and dropout. Results are fresh contiguous tensors on the inputs' device.
 */
final class Elementwise {
    private Elementwise() {}

    static Tensor map(Tensor t, UnaryOp op) {
        t.requireFloat(op.name());
        Tensor out = t.zerosLike(t.shape);
        t.backend().unary(op, t, out);
        return out;
    }

    static Tensor zip(Tensor t, BinaryOp op, Tensor other) {
        t.requireFloat(op.name());
        other.requireFloat(op.name());
        t.sameDevice(other, op.name());
        Tensor out = Tensor.zeros(t.device(), DType.FLOAT32, Shapes.broadcast(t.shape, other.shape));
        t.backend().binary(op, t, other, out);
        return out;
    }

    /** t = op(t, other) in place, other broadcast to t's shape. */
    static Tensor applyInPlace(Tensor t, BinaryOp op, Tensor other) {
        t.requireFloat(op.name());
        other.requireFloat(op.name());
        t.sameDevice(other, op.name());
        if (!Arrays.equals(Shapes.broadcast(t.shape, other.shape), t.shape)) {
            throw new IllegalArgumentException("in-place " + op + " cannot broadcast " + Shapes.str(other.shape) + " into " + Shapes.str(t.shape));
        }
        t.backend().binary(op, t, other, t);
        return t;
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        a.requireFloat("where");
        b.requireFloat("where");
        a.sameDevice(b, "where");
        a.sameDevice(cond, "where");
        Tensor c = cond.toFloat();
        Tensor out = Tensor.zeros(a.device(), DType.FLOAT32, Shapes.broadcast(c.shape, Shapes.broadcast(a.shape, b.shape)));
        a.backend().where(c, a, b, out);
        return out;
    }

    static Tensor dropout(Tensor t, float p, long seed, long counter) {
        t.requireFloat("dropout");
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        Tensor out = t.zerosLike(t.shape);
        t.backend().dropout(t, seed, counter, p, out);
        return out;
    }
}

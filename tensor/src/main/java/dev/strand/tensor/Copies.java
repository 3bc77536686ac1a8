package dev.strand.tensor;

import java.util.Arrays;

/**
 * The copying operations of {@link Tensor}: a contiguous copy on the same device, a copy on
 * another device (through the host), a copy converted to another dtype, and a copy of one tensor's
 * elements into another's.
 */
final class Copies {
    private Copies() {}

    static Tensor copy(Tensor t) {
        Tensor out = Tensor.zeros(t.device(), t.dtype(), t.shape);
        t.backend().unary(UnaryOp.IDENTITY, t, out);
        return out;
    }

    static Tensor to(Tensor t, Device target) {
        if (t.device().equals(target)) return t;
        Backend to = Backends.of(target);
        Storage st = t.dtype() == DType.FLOAT32 ? to.upload(t.toFloatArray()) : to.upload(t.toIntArray());
        return new Tensor(st, t.shape.clone(), Shapes.contiguousStrides(t.shape), 0);
    }

    static Tensor convert(Tensor t, DType to) {
        if (t.dtype() == to) return t;
        Tensor out = Tensor.zeros(t.device(), to, t.shape);
        t.backend().cast(t, out);
        return out;
    }

    /** Copies {@code src}, broadcast to the shape of {@code dst}, into {@code dst}'s elements. */
    static Tensor copyFrom(Tensor dst, Tensor src) {
        dst.sameDevice(src, "copyFrom");
        Shapes.broadcast(src.shape, dst.shape);
        if (!Arrays.equals(Shapes.broadcast(src.shape, dst.shape), dst.shape)) {
            throw new IllegalArgumentException("cannot copy shape " + Shapes.str(src.shape) + " into " + Shapes.str(dst.shape));
        }
        if (src.dtype() != dst.dtype()) throw new IllegalArgumentException("copyFrom dtype " + src.dtype() + " into " + dst.dtype());
        dst.backend().unary(UnaryOp.IDENTITY, src, dst);
        return dst;
    }
}

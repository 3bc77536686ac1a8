package dev.strand.tensor;

import java.util.Arrays;

/** {@link Tensor#rotateHalf}: its checks, then the backend's kernel. */
final class RotateHalf {
    private RotateHalf() {}

    static Tensor apply(Tensor x, Tensor cos, Tensor sin) {
        x.requireFloat("rotateHalf");
        int[] shape = x.shape();
        int d = shape.length == 0 ? 0 : shape[shape.length - 1];
        int[] table = shape.length < 2 ? null : new int[] {shape[shape.length - 2], d / 2};
        if (table == null || d % 2 != 0 || !Arrays.equals(cos.shape(), table) || !Arrays.equals(sin.shape(), table)) {
            throw new IllegalArgumentException("rotateHalf needs x [..., T, D] with D even and cos, sin [T, D/2], got "
                    + Shapes.str(shape) + ", " + Shapes.str(cos.shape()) + ", " + Shapes.str(sin.shape()));
        }
        x.sameDevice(cos, "rotateHalf");
        x.sameDevice(sin, "rotateHalf");
        Tensor out = Tensor.zeros(x.device(), DType.FLOAT32, shape);
        if (x.numel() > 0) x.backend().rotateHalf(x, cos, sin, out);
        return out;
    }
}

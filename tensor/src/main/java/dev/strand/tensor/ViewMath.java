package dev.strand.tensor;

/** Shape and stride arithmetic behind {@link Tensor#view} and {@link Tensor#reshape}. */
final class ViewMath {
    private ViewMath() {}

    /** {@code newShape} with its one −1 (if any) inferred so that it holds as many elements as {@code shape}. */
    static int[] inferShape(int[] shape, int[] newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("only one dim may be -1 in " + Shapes.str(newShape));
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("negative dim in shape " + Shapes.str(newShape));
            } else {
                known *= s[i];
            }
        }
        int n = Shapes.numel(shape);
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException("shape " + Shapes.str(newShape) + " does not fit " + n + " elements of " + Shapes.str(shape));
            }
            s[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException("shape " + Shapes.str(newShape) + " does not fit " + n + " elements of " + Shapes.str(shape));
        }
        return s;
    }

    /** Row-major without gaps, ignoring size-1 dims (whose strides do not matter). */
    static boolean isContiguous(int[] shape, int[] strides) {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /**
     * Strides that lay {@code newShape} over the memory of a tensor with this shape and these
     * strides, or null if none exist (then a copy is needed). Old dims are taken in runs that are
     * contiguous with each other; each run must be covered exactly by consecutive new dims.
     */
    static int[] viewStrides(int[] shape, int[] strides, int[] newShape) {
        if (Shapes.numel(shape) == 0 || isContiguous(shape, strides)) return Shapes.contiguousStrides(newShape);
        int[] out = new int[newShape.length];
        int oi = 0, ni = 0;
        while (oi < shape.length || ni < newShape.length) {
            if (ni < newShape.length && newShape[ni] == 1) {
                out[ni++] = 1;
                continue;
            }
            if (oi < shape.length && shape[oi] == 1) {
                oi++;
                continue;
            }
            if (oi >= shape.length || ni >= newShape.length) return null;
            // A run of old dims that are memory-contiguous with each other; size-1 dims inside it
            // have arbitrary strides, so the run's innermost stride is its last dim of size > 1.
            long runSize = shape[oi];
            int innerStride = strides[oi];
            int next = oi + 1;
            while (next < shape.length && (shape[next] == 1 || innerStride == strides[next] * shape[next])) {
                if (shape[next] != 1) {
                    innerStride = strides[next];
                    runSize *= shape[next];
                }
                next++;
            }
            oi = next;
            long covered = 1;
            int first = ni;
            while (ni < newShape.length && covered < runSize) covered *= newShape[ni++];
            if (covered != runSize) return null;
            long st = innerStride;
            for (int j = ni - 1; j >= first; j--) {
                out[j] = (int) st;
                st *= newShape[j];
            }
        }
        return out;
    }
}

package dev.strand.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The view operations of {@link Tensor}: new shapes, strides and offsets over the same storage,
 * no elements copied (except {@link #reshape} when the strides cannot express the new shape).
 * Negative dims count from the end.
 */
final class Views {
    private Views() {}

    static Tensor reshape(Tensor t, int... newShape) {
        int[] s = ViewMath.inferShape(t.shape, newShape);
        int[] st = ViewMath.viewStrides(t.shape, t.strides, s);
        return st != null ? new Tensor(t.storage, s, st, t.offset) : t.contiguous().view(s);
    }

    static Tensor view(Tensor t, int... newShape) {
        int[] s = ViewMath.inferShape(t.shape, newShape);
        int[] st = ViewMath.viewStrides(t.shape, t.strides, s);
        if (st == null) {
            throw new IllegalArgumentException("cannot view shape " + Shapes.str(t.shape) + " with strides "
                    + Arrays.toString(t.strides) + " as " + Shapes.str(s) + "; call contiguous() or reshape()");
        }
        return new Tensor(t.storage, s, st, t.offset);
    }

    static Tensor permute(Tensor t, int... order) {
        if (order.length != t.shape.length) {
            throw new IllegalArgumentException("permute order " + Arrays.toString(order) + " does not match rank of " + Shapes.str(t.shape));
        }
        int[] s = new int[order.length], st = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int d = Shapes.dim(order[i], t.shape.length);
            if (seen[d]) throw new IllegalArgumentException("permute order " + Arrays.toString(order) + " repeats dim " + d);
            seen[d] = true;
            s[i] = t.shape[d];
            st[i] = t.strides[d];
        }
        return new Tensor(t.storage, s, st, t.offset);
    }

    static Tensor transpose(Tensor t, int d0, int d1) {
        int[] order = new int[t.shape.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int a = Shapes.dim(d0, t.shape.length), b = Shapes.dim(d1, t.shape.length);
        order[a] = b;
        order[b] = a;
        return t.permute(order);
    }

    static Tensor narrow(Tensor t, int dim, int start, int length) {
        int d = Shapes.dim(dim, t.shape.length);
        if (start < 0 || length < 0 || start + length > t.shape[d]) {
            throw new IllegalArgumentException("narrow(dim " + dim + ", start " + start + ", length " + length
                    + ") out of range for shape " + Shapes.str(t.shape));
        }
        int[] s = t.shape.clone();
        s[d] = length;
        return new Tensor(t.storage, s, t.strides.clone(), t.offset + start * t.strides[d]);
    }

    static Tensor select(Tensor t, int dim, int index) {
        int d = Shapes.dim(dim, t.shape.length);
        if (index < -t.shape[d] || index >= t.shape[d]) {
            throw new IllegalArgumentException("index " + index + " out of range for dim " + dim + " of shape " + Shapes.str(t.shape));
        }
        int i = index < 0 ? index + t.shape[d] : index;
        return t.narrow(d, i, 1).squeeze(d);
    }

    static Tensor expand(Tensor t, int... newShape) {
        int[] shape = t.shape, strides = t.strides;
        if (newShape.length < shape.length) {
            throw new IllegalArgumentException("cannot expand " + Shapes.str(shape) + " to fewer dims " + Shapes.str(newShape));
        }
        int lead = newShape.length - shape.length;
        int[] s = new int[newShape.length], st = new int[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            int want = newShape[i];
            if (i < lead) {
                if (want < 0) throw new IllegalArgumentException("cannot use -1 for a new leading dim in expand " + Shapes.str(newShape));
                s[i] = want;
                st[i] = 0;
            } else {
                int have = shape[i - lead];
                if (want == -1 || want == have) {
                    s[i] = have;
                    st[i] = strides[i - lead];
                } else if (have == 1) {
                    s[i] = want;
                    st[i] = 0;
                } else {
                    throw new IllegalArgumentException("cannot expand shape " + Shapes.str(shape) + " to " + Shapes.str(newShape));
                }
            }
        }
        return new Tensor(t.storage, s, st, t.offset);
    }

    static Tensor squeeze(Tensor t, int dim) {
        int d = Shapes.dim(dim, t.shape.length);
        if (t.shape[d] != 1) throw new IllegalArgumentException("cannot squeeze dim " + dim + " of size " + t.shape[d] + " in " + Shapes.str(t.shape));
        return new Tensor(t.storage, Shapes.remove(t.shape, d), Shapes.remove(t.strides, d), t.offset);
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        int d = dim < 0 ? dim + t.shape.length + 1 : dim;
        if (d < 0 || d > t.shape.length) {
            throw new IllegalArgumentException("unsqueeze dim " + dim + " out of range for shape " + Shapes.str(t.shape));
        }
        int st = d < t.shape.length ? t.strides[d] * t.shape[d] : 1;
        return new Tensor(t.storage, Shapes.insert(t.shape, d, 1), Shapes.insert(t.strides, d, st), t.offset);
    }

    static List<Tensor> split(Tensor t, int dim, int... sizes) {
        int d = Shapes.dim(dim, t.shape.length);
        int sum = 0;
        for (int s : sizes) sum += s;
        if (sum != t.shape[d]) {
            throw new IllegalArgumentException("split sizes " + Arrays.toString(sizes) + " do not add up to dim " + dim + " of " + Shapes.str(t.shape));
        }
        Tensor[] out = new Tensor[sizes.length];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = t.narrow(d, at, sizes[i]);
            at += sizes[i];
        }
        return List.of(out);
    }
}

package dev.strand.tensor;

import java.util.Arrays;

/**
 * The indexed reads of {@link Tensor} and their in-place adjoints: indexSelect/indexAdd move
 * whole slices along one dim, gather/scatterAdd single elements (as torch.gather does). Indices
 * are INT32 tensors on the data's device, each checked against its bound before the kernel runs.
 */
final class Indexing {
    private Indexing() {}

    static Tensor embedding(Tensor weight, Tensor ids) {
        if (weight.dim() != 2) throw new IllegalArgumentException("embedding weight must be [V, D], got " + Shapes.str(weight.shape));
        int[] outShape = Arrays.copyOf(ids.shape, ids.shape.length + 1);
        outShape[ids.shape.length] = weight.shape[1];
        return weight.indexSelect(0, ids.reshape(ids.numel())).view(outShape);
    }

    static Tensor indexSelect(Tensor t, int dim, Tensor index) {
        int d = Shapes.dim(dim, t.shape.length);
        checkIndex(t, index, t.shape[d], "indexSelect dim " + dim + " of " + Shapes.str(t.shape));
        if (index.dim() != 1) throw new IllegalArgumentException("indexSelect index must be 1-d, got " + Shapes.str(index.shape));
        int[] s = t.shape.clone();
        s[d] = index.shape[0];
        Tensor out = Tensor.zeros(t.device(), t.dtype(), s);
        t.backend().indexSelect(t, d, index, out);
        return out;
    }

    static Tensor indexAddInPlace(Tensor t, int dim, Tensor index, Tensor src) {
        int d = Shapes.dim(dim, t.shape.length);
        checkIndex(t, index, t.shape[d], "indexAdd dim " + dim + " of " + Shapes.str(t.shape));
        int[] want = t.shape.clone();
        want[d] = index.numel();
        if (!Arrays.equals(want, src.shape)) {
            throw new IllegalArgumentException("indexAdd source shape " + Shapes.str(src.shape) + " should be " + Shapes.str(want));
        }
        t.sameDevice(src, "indexAdd");
        t.backend().indexAdd(t, d, index, src);
        return t;
    }

    static Tensor gather(Tensor t, int dim, Tensor index) {
        int d = Shapes.dim(dim, t.shape.length);
        checkGatherShapes(t, d, index, "gather");
        Tensor out = Tensor.zeros(t.device(), t.dtype(), index.shape);
        t.backend().gather(t, d, index, out);
        return out;
    }

    static Tensor scatterAddInPlace(Tensor t, int dim, Tensor index, Tensor src) {
        int d = Shapes.dim(dim, t.shape.length);
        checkGatherShapes(t, d, index, "scatterAdd");
        if (!Arrays.equals(index.shape, src.shape)) {
            throw new IllegalArgumentException("scatterAdd index shape " + Shapes.str(index.shape) + " and source shape " + Shapes.str(src.shape) + " differ");
        }
        t.sameDevice(src, "scatterAdd");
        t.backend().scatterAdd(t, d, index, src);
        return t;
    }

    private static void checkGatherShapes(Tensor t, int d, Tensor index, String op) {
        int[] shape = t.shape;
        if (index.dim() != shape.length) {
            throw new IllegalArgumentException(op + " index shape " + Shapes.str(index.shape) + " must have the rank of " + Shapes.str(shape));
        }
        for (int i = 0; i < shape.length; i++) {
            if (i != d && index.shape[i] > shape[i]) {
                throw new IllegalArgumentException(op + " index shape " + Shapes.str(index.shape) + " exceeds " + Shapes.str(shape) + " in dim " + i);
            }
        }
        checkIndex(t, index, shape[d], op + " dim " + d + " of " + Shapes.str(shape));
    }

    private static void checkIndex(Tensor t, Tensor index, int bound, String what) {
        if (index.dtype() != DType.INT32) throw new IllegalArgumentException(what + ": index must be INT32, got " + index);
        t.sameDevice(index, what);
        for (int v : index.toIntArray()) {
            if (v < 0 || v >= bound) throw new IllegalArgumentException(what + ": index " + v + " out of range [0, " + bound + ")");
        }
    }
}

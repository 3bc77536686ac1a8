package dev.strand.tensor.cpu;

import dev.strand.tensor.BlockSparseKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link BlockSparseKernel.Lanes} on the Vector API, at whatever width this CPU has; a scalar tail finishes each row. */
final class VectorLanes implements BlockSparseKernel.Lanes {
    static final VectorLanes INSTANCE = new VectorLanes();

    private VectorLanes() {}

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        return NormKernels.dot(a, ao, b, bo, n, true);
    }

    @Override
    public void axpy(float s, float[] x, int xo, float[] y, int yo, int n) {
        VectorSpecies<Float> sp = Simd.SPECIES;
        FloatVector scale = FloatVector.broadcast(sp, s);
        int i = 0;
        for (; i <= n - sp.length(); i += sp.length()) {
            FloatVector.fromArray(sp, x, xo + i).fma(scale, FloatVector.fromArray(sp, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] += s * x[xo + i];
    }
}

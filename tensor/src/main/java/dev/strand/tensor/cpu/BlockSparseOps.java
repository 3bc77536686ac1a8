package dev.strand.tensor.cpu;

import dev.strand.tensor.BlockSparseKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BlockSparseKernel.Ops} on this backend's kernels: tiles multiplied by {@link Gemm} (its
 * register-blocked SIMD path), exponentials by {@link VectorMath#exp} at whatever vector width
 * this CPU has, a scalar tail finishing each row.
 */
final class BlockSparseOps implements BlockSparseKernel.Ops {
    static final BlockSparseOps INSTANCE = new BlockSparseOps();

    private BlockSparseOps() {}

    @Override
    public void matmul(int m, int n, int k, float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs, float[] c, int co, int ldc) {
        Gemm.multiply(1, m, n, k, a, new int[] {ao}, ars, acs, b, new int[] {bo}, brs, bcs, c, new int[] {co}, ldc);
    }

    @Override
    public float expShifted(float[] x, int off, int n, float shift) {
        VectorSpecies<Float> sp = Simd.SPECIES;
        FloatVector acc = FloatVector.zero(sp);
        int i = 0;
        for (; i <= n - sp.length(); i += sp.length()) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(sp, x, off + i).sub(shift));
            e.intoArray(x, off + i);
            acc = acc.add(e);
        }
        float sum = VectorMath.sumLanes(acc);
        for (; i < n; i++) sum += x[off + i] = (float) Math.exp(x[off + i] - shift);
        return sum;
    }
}

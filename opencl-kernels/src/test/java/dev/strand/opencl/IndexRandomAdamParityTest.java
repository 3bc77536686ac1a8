package dev.strand.opencl;

import static dev.strand.opencl.TestDevice.identical;
import static dev.strand.opencl.TestDevice.same;

import dev.strand.tensor.DType;
import dev.strand.tensor.Generator;
import dev.strand.tensor.OptimizerKernels;
import dev.strand.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gathers, scatter-adds, random numbers and the Adam step against the CPU. Scatter-add sums,
 * dropout masks and uniform numbers must match bit for bit.
 */
class IndexRandomAdamParityTest {
    @BeforeAll
    static void device() {
        TestDevice.require();
    }

    @Test
    void indexSelectAndIndexAdd() {
        Generator g = new Generator(10);
        Tensor x = Tensor.uniform(g, -1f, 1f, 7, 33, 5);
        Tensor idx = Tensor.ofInts(new int[] {3, 0, 3, 32, 1, 3, 7});
        for (int dim = 0; dim < 3; dim++) {
            int d = dim, bound = x.size(dim);
            Tensor index = Tensor.ofInts(java.util.Arrays.stream(idx.toIntArray()).map(i -> i % bound).toArray());
            identical("indexSelect dim " + d, on -> on.t(x).indexSelect(d, on.t(index)));
            identical("indexSelect dim " + d + " of a permuted view", on -> on.t(x).permute(2, 1, 0).contiguous().permute(2, 1, 0).indexSelect(d, on.t(index)));
            int[] srcShape = x.shape();
            srcShape[d] = index.numel();
            Tensor src = Tensor.uniform(g, -1f, 1f, srcShape);
            identical("indexAdd dim " + d + " with repeated indices", on -> on.t(x).copy().indexAddInPlace(d, on.t(index), on.t(src)));
            identical("indexAdd into a transposed view", on -> {
                Tensor target = on.t(x).copy().permute(2, 1, 0).contiguous().permute(2, 1, 0);
                return target.indexAddInPlace(d, on.t(index), on.t(src));
            });
        }
        Tensor ids = Tensor.ofInts(new int[] {4, 4, 0, 6, 1, 2}, 2, 3);
        Tensor table = Tensor.uniform(g, -1f, 1f, 7, 9);
        identical("embedding rows", on -> Tensor.embedding(on.t(table), on.t(ids)));
        Tensor intTable = Tensor.ofInts(new int[] {10, 11, 12, 13, 14, 15}, 3, 2);
        identical("indexSelect of an int tensor", on -> on.t(intTable).indexSelect(0, on.t(Tensor.ofInts(new int[] {2, 0, 2}))));
    }

    @Test
    void gatherAndScatterAdd() {
        Generator g = new Generator(11);
        Tensor x = Tensor.uniform(g, -1f, 1f, 4, 33, 3);
        int[] iv = new int[4 * 7 * 3];
        for (int i = 0; i < iv.length; i++) iv[i] = (i * 13 + 5) % 33;
        for (int i = 0; i < 12; i++) iv[i] = 3;    // repeats: several sources add into one target
        Tensor index = Tensor.ofInts(iv, 4, 7, 3);
        identical("gather dim 1", on -> on.t(x).gather(1, on.t(index)));
        identical("gather dim 1 of a transposed view", on -> on.t(x).transpose(0, 2).contiguous().transpose(0, 2).gather(1, on.t(index)));
        Tensor src = Tensor.uniform(g, -1f, 1f, 4, 7, 3);
        identical("scatterAdd dim 1 with repeated targets", on -> on.t(x).copy().scatterAddInPlace(1, on.t(index), on.t(src)));
        Tensor idx0 = Tensor.ofInts(new int[] {0, 3, 3, 1, 0, 0}, 2, 3);
        Tensor small = Tensor.uniform(g, -1f, 1f, 4, 3), src0 = Tensor.uniform(g, -1f, 1f, 2, 3);
        identical("gather dim 0", on -> on.t(small).gather(0, on.t(idx0)));
        identical("scatterAdd dim 0", on -> on.t(small).copy().scatterAddInPlace(0, on.t(idx0), on.t(src0)));
        Tensor labels = Tensor.ofInts(new int[] {2, 0, 1, 2, 2}, 5, 1);
        Tensor logits = Tensor.uniform(g, -1f, 1f, 5, 3);
        same("cross-entropy's gather of the target column", 1e-6, 1e-6, on -> on.t(logits).logSoftmax(1).gather(1, on.t(labels)));
    }

    @Test
    void dropoutDrawsTheCpuMaskBitForBit() {
        Generator g = new Generator(12);
        for (int n : new int[] {1, 3, 7, 33, 129, 1000}) {
            Tensor x = Tensor.uniform(g, -1f, 1f, 3, n);
            for (float p : new float[] {0.1f, 0.5f, 0.9f}) {
                identical("dropout p " + p + " of [3, " + n + "]", on -> on.t(x).dropout(p, 77, 12345L + n));
                identical("dropout of a transposed view", on -> on.t(x).t().dropout(p, 5, 3));
            }
        }
    }

    @Test
    void randomNumbersFollowTheCounterStream() {
        for (int n : new int[] {1, 7, 33, 129}) {
            identical("uniform [-2, 3) of " + n, on -> random(on, n, false, -2f, 3f));
            same("normal (3, 0.5) of " + n, 1e-6, 1e-6, on -> random(on, n, true, 3f, 0.5f));
        }
        Tensor base = Tensor.zeros(3, 10);
        identical("uniform into a narrow view's offset", on -> {
            Tensor t = on.t(base).copy();
            Tensor row = t.narrow(0, 1, 1);
            row.backend().random(row, 9, 100, false, 0f, 1f);
            return t;
        });
    }

    private static Tensor random(TestDevice.On on, int n, boolean normal, float a, float b) {
        Tensor t = Tensor.zeros(on.device(), DType.FLOAT32, n);
        t.backend().random(t, 42, 1000, normal, a, b);
        return t;
    }

    @Test
    void adamStepsMatch() {
        Generator g = new Generator(13);
        for (int n : new int[] {1, 7, 129}) {
            Tensor p0 = Tensor.uniform(g, -1f, 1f, n, 3), grad = Tensor.uniform(g, -1f, 1f, 3, n);
            for (float decay : new float[] {0f, 0.01f}) {
                same("adam " + n + " decay " + decay, 1e-5, 1e-6, on -> {
                    Tensor p = on.t(p0).copy(), m = Tensor.zeros(on.device(), DType.FLOAT32, n, 3), v = Tensor.zeros(on.device(), DType.FLOAT32, n, 3);
                    for (int step = 1; step <= 3; step++) {
                        OptimizerKernels.adamStep(p, on.t(grad).t(), m, v, 1e-2f, 0.9f, 0.999f, 1e-8f, decay, 0.5f * decay, step);
                    }
                    return Tensor.concat(java.util.List.of(p, m, v), 0);
                });
            }
        }
    }
}

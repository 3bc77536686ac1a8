package dev.strand.opencl;

import static dev.strand.opencl.TestDevice.identical;
import static dev.strand.opencl.TestDevice.same;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.tensor.Generator;
import dev.strand.tensor.ReduceOp;
import dev.strand.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reductions and (batched) matrix products against the CPU on awkward and strided shapes. */
class ReduceAndMatmulParityTest {
    private static final int[] SIZES = {1, 7, 33, 129};

    @BeforeAll
    static void device() {
        TestDevice.require();
    }

    @Test
    void reductionsOverEveryDim() {
        Generator g = new Generator(4);
        for (int n : SIZES) {
            Tensor x = Tensor.uniform(g, -3f, 3f, 3, n, 5);
            for (ReduceOp op : ReduceOp.values()) {
                for (int dim = 0; dim < 3; dim++) {
                    int d = dim;
                    if (op == ReduceOp.ARGMAX) {
                        identical(op + " dim " + d + " of [3, " + n + ", 5]", on -> on.t(x).reduce(op, d, false));
                        identical(op + " dim " + d + " of a permuted view", on -> on.t(x).permute(2, 0, 1).reduce(op, d, true));
                    } else {
                        same(op + " dim " + d + " of [3, " + n + ", 5]", 1e-5, 1e-5, on -> on.t(x).reduce(op, d, false));
                        same(op + " dim " + d + " of a permuted view", 1e-5, 1e-5, on -> on.t(x).permute(2, 0, 1).reduce(op, d, true));
                    }
                }
            }
        }
        Tensor big = Tensor.uniform(g, -1f, 1f, 129 * 33 * 7);
        same("sum of 29,799 elements", 1e-4, 1e-3, on -> on.t(big).sum());
        same("mean of 29,799 elements", 1e-4, 1e-6, on -> on.t(big).mean());
        same("sum over an empty dim", 0, 0, on -> Tensor.zeros(on.device(), dev.strand.tensor.DType.FLOAT32, 3, 0).sum(1, false));
    }

    @Test
    void longLinesOfFewOutputsAreReducedInPieces() {
        // Few outputs over long lines are split into pieces (a work item or group each) and the
        // partials reduced again; these shapes give ragged last pieces.
        Generator g = new Generator(41);
        Tensor tall = Tensor.uniform(g, -1f, 1f, 4099, 3), wide = Tensor.uniform(g, -1f, 1f, 2, 70001);
        assertEquals(64, Splits.reductionChunk(3, 4099, false));      // 64 pieces of 64 and one of 3
        assertEquals(3889, Splits.reductionChunk(2, 70001, true));    // 17 of 3889 and one of 3888
        for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MEAN, ReduceOp.MAX, ReduceOp.MIN}) {
            same(op + " over the 4099 rows of [4099, 3]", 1e-4, 1e-4, on -> on.t(tall).reduce(op, 0, false));
            same(op + " over the 70001 columns of [2, 70001]", 1e-4, 1e-4, on -> on.t(wide).reduce(op, 1, false));
        }
        identical("argmax over the 4099 rows of [4099, 3]", on -> on.t(tall).argmax(0, false));
    }

    @Test
    void argmaxTakesTheFirstMaximumAndTheFirstNaN() {
        float nan = Float.NaN;
        Tensor x = Tensor.of(new float[] {1, 5, 5, 2, /**/ 3, nan, 9, nan, /**/ -1, -1, -1, -1}, 3, 4);
        identical("argmax over rows", on -> on.t(x).argmax(1, false));
        identical("argmax over columns", on -> on.t(x).argmax(0, false));
        Tensor wide = Tensor.zeros(2, 300);
        identical("argmax of a tied row longer than a work group", on -> on.t(wide).argmax(1, false));
    }

    @Test
    void matmulOnAwkwardSizes() {
        Generator g = new Generator(5);
        for (int m : SIZES) for (int k : SIZES) for (int n : new int[] {1, 33, 129}) {
            Tensor a = Tensor.uniform(g, -1f, 1f, m, k), b = Tensor.uniform(g, -1f, 1f, k, n);
            same("matmul " + m + "x" + k + " · " + k + "x" + n, 1e-4, 1e-5, on -> on.t(a).matmul(on.t(b)));
        }
    }

    @Test
    void matmulOfTransposedAndNarrowedViews() {
        Generator g = new Generator(6);
        Tensor at = Tensor.uniform(g, -1f, 1f, 65, 70), bt = Tensor.uniform(g, -1f, 1f, 90, 65);
        same("a transposed", 1e-4, 1e-5, on -> on.t(at).t().matmul(on.t(bt).t().contiguous()));
        same("b transposed", 1e-4, 1e-5, on -> on.t(at).t().contiguous().matmul(on.t(bt).t()));
        same("both transposed and narrowed", 1e-4, 1e-5, on -> on.t(at).t().narrow(0, 3, 60).matmul(on.t(bt).t().narrow(1, 1, 77)));
        Tensor v = Tensor.uniform(g, -1f, 1f, 65);
        same("vector · matrix", 1e-4, 1e-5, on -> on.t(v).matmul(on.t(bt).t()));
        same("matrix · vector", 1e-4, 1e-5, on -> on.t(bt).matmul(on.t(v)));
    }

    @Test
    void batchedMatmulWithBroadcastBatchDims() {
        Generator g = new Generator(7);
        Tensor q = Tensor.uniform(g, -1f, 1f, 2, 3, 33, 8), k = Tensor.uniform(g, -1f, 1f, 2, 3, 33, 8);
        same("attention scores q·kᵀ [2, 3, 33, 33]", 1e-4, 1e-5, on -> on.t(q).matmul(on.t(k).transpose(-2, -1)));
        Tensor w = Tensor.uniform(g, -1f, 1f, 8, 7);
        same("[2, 3, 33, 8] · [8, 7] broadcast", 1e-4, 1e-5, on -> on.t(q).matmul(on.t(w)));
        Tensor b1 = Tensor.uniform(g, -1f, 1f, 3, 1, 8, 5), a1 = Tensor.uniform(g, -1f, 1f, 4, 7, 8);
        same("[4, 7, 8] · [3, 1, 8, 5] → [3, 4, 7, 5]", 1e-4, 1e-5, on -> on.t(a1).matmul(on.t(b1)));
        same("a permuted batch", 1e-4, 1e-5, on -> on.t(q).permute(1, 0, 2, 3).matmul(on.t(k).permute(1, 0, 3, 2)));
        Tensor e = Tensor.uniform(g, -1f, 1f, 2, 5, 0), f = Tensor.uniform(g, -1f, 1f, 2, 0, 3);
        same("an empty inner dim gives zeros", 0, 0, on -> on.t(e).matmul(on.t(f)));
    }
}

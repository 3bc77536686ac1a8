package dev.strand.tensor;

import static dev.strand.tensor.Assertions2.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.cpu.CpuBackend;
import dev.strand.tensor.cpu.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Every vector kernel against its scalar twin on awkward shapes (1, 7, 17, 33, 129), strided
 * views and broadcasting, with 1 and 2 threads.
 */
class KernelParityTest {
    private static final int[] SIZES = {1, 7, 17, 33, 129};
    private static final CpuBackend VEC = CpuBackend.INSTANCE, REF = CpuBackend.scalar();

    @Test
    void simdIsOnForTheseTests() {
        assertTrue(VEC.vectorized(), "the vector kernels must be active, else this test compares the scalar path with itself");
    }

    /** Inputs of several layouts with the same logical shape: contiguous, transposed, narrowed. */
    private static List<Tensor> layouts(Generator g, float lo, float hi, int rows, int cols) {
        List<Tensor> out = new ArrayList<>();
        out.add(Tensor.uniform(g, lo, hi, rows, cols));
        out.add(Tensor.uniform(g, lo, hi, cols, rows).t());
        out.add(Tensor.uniform(g, lo, hi, rows, cols + 3).narrow(1, 2, cols));
        return out;
    }

    private static void bothThreads(Runnable r) {
        int t = Parallel.threads();
        try {
            Parallel.setThreads(1);
            r.run();
            Parallel.setThreads(2);
            r.run();
        } finally {
            Parallel.setThreads(t);
        }
    }

    private static Tensor run(int[] shape, BiConsumer<CpuBackend, Tensor> kernel, CpuBackend b) {
        Tensor out = Tensor.zeros(shape);
        kernel.accept(b, out);
        return out;
    }

    /** Vector and scalar results agree to rtol, and to an absolute 1e-5 where terms cancel. */
    private static void compare(String what, int[] shape, BiConsumer<CpuBackend, Tensor> kernel, double rtol) {
        assertClose(run(shape, kernel, REF), run(shape, kernel, VEC), rtol, 1e-5, what);
    }

    @Test
    void unaryOps() {
        Generator g = new Generator(1);
        bothThreads(() -> {
            for (UnaryOp op : UnaryOp.values()) {
                boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RECIPROCAL;
                for (int r : SIZES) for (int c : new int[] {1, 17, 129}) {
                    for (Tensor x : layouts(g, positive ? 0.05f : -6f, 6f, r, c)) {
                        compare(op + " " + r + "x" + c, x.shape(), (b, out) -> b.unary(op, x, out), 2e-5);
                    }
                }
            }
        });
    }

    @Test
    void binaryOpsWithBroadcasting() {
        Generator g = new Generator(2);
        bothThreads(() -> {
            for (BinaryOp op : BinaryOp.values()) {
                boolean positive = op == BinaryOp.POW || op == BinaryOp.DIV;
                float lo = positive ? 0.25f : -4f, hi = 4f;
                for (int r : SIZES) for (int c : new int[] {1, 7, 33, 129}) {
                    List<Tensor> as = layouts(g, lo, hi, r, c), bs = layouts(g, lo, hi, r, c);
                    for (int i = 0; i < as.size(); i++) {
                        Tensor a = as.get(i), b = bs.get((i + 1) % bs.size());
                        compare(op + " " + r + "x" + c, a.shape(), (be, out) -> be.binary(op, a, b, out), 2e-5);
                    }
                    Tensor a = as.get(0);
                    Tensor row = Tensor.uniform(g, lo, hi, c), col = Tensor.uniform(g, lo, hi, r, 1), s = Tensor.scalar(1.5f);
                    compare(op + " row-broadcast", a.shape(), (be, out) -> be.binary(op, a, row, out), 2e-5);
                    compare(op + " col-broadcast", a.shape(), (be, out) -> be.binary(op, col, a, out), 2e-5);
                    compare(op + " scalar", a.shape(), (be, out) -> be.binary(op, a, s, out), 2e-5);
                    compare(op + " outer", new int[] {r, c}, (be, out) -> be.binary(op, col, row, out), 2e-5);
                }
            }
        });
    }

    @Test
    void whereMatchesScalar() {
        Generator g = new Generator(3);
        for (int n : SIZES) {
            Tensor c = Tensor.rand(g, n, 9).gt(0.5f), a = Tensor.randn(g, n, 9), b = Tensor.randn(g, 9, n).t();
            compare("where " + n, a.shape(), (be, out) -> be.where(c, a, b, out), 0);
        }
    }

    @Test
    void reductionsOverEveryDim() {
        Generator g = new Generator(4);
        bothThreads(() -> {
            for (int n : SIZES) {
                for (Tensor x : List.of(Tensor.randn(g, 3, n, 5), Tensor.randn(g, 5, n, 3).permute(2, 1, 0), Tensor.randn(g, n, 129))) {
                    for (ReduceOp op : ReduceOp.values()) {
                        for (int d = 0; d < x.dim(); d++) {
                            int[] s = x.shape();
                            s[d] = 1;
                            final int dim = d;
                            if (op == ReduceOp.ARGMAX) {
                                Tensor o1 = Tensor.zeros(Device.CPU, DType.INT32, s), o2 = Tensor.zeros(Device.CPU, DType.INT32, s);
                                REF.reduce(op, x, d, o1);
                                VEC.reduce(op, x, d, o2);
                                assertArrayEquals(o1.toIntArray(), o2.toIntArray(), "argmax");
                            } else {
                                // sums of ~129 normals cancel: compare against the sum of magnitudes
                                assertClose(run(s, (be, out) -> be.reduce(op, x, dim, out), REF), run(s, (be, out) -> be.reduce(op, x, dim, out), VEC),
                                        1e-5, 1e-4, op + " dim " + d + " of " + java.util.Arrays.toString(x.shape()));
                            }
                        }
                    }
                }
            }
        });
    }

    @Test
    void softmaxAndLogSoftmaxStableForLargeLogits() {
        Generator g = new Generator(5);
        bothThreads(() -> {
            for (int n : SIZES) {
                for (Tensor x : List.of(Tensor.randn(g, 4, n).mul(50).add(1000), Tensor.randn(g, n, 6).t(), Tensor.randn(g, 2, n, 3))) {
                    for (int d = 0; d < x.dim(); d++) {
                        for (boolean log : new boolean[] {false, true}) {
                            final int dim = d;
                            compare("softmax log=" + log, x.shape(), (be, out) -> be.softmax(x, dim, log, out), 1e-5);
                            Tensor y = x.softmax(d), gy = Tensor.randn(g, x.shape());
                            Tensor yy = log ? x.logSoftmax(d) : y;
                            compare("softmax backward log=" + log, x.shape(), (be, out) -> be.softmaxBackward(yy, gy, dim, log, out), 1e-4);
                        }
                    }
                }
            }
        });
    }

    @Test
    void layerNormForwardAndBackward() {
        Generator g = new Generator(6);
        for (int n : SIZES) {
            Tensor x = Tensor.randn(g, 5, n).mul(3).add(10), w = Tensor.randn(g, n), b = Tensor.randn(g, n), gy = Tensor.randn(g, 5, n);
            int[] rows = {5};
            Tensor[] ref = {Tensor.zeros(5, n), Tensor.zeros(rows), Tensor.zeros(rows)};
            Tensor[] vec = {Tensor.zeros(5, n), Tensor.zeros(rows), Tensor.zeros(rows)};
            REF.layerNorm(x, w, b, 1e-5f, ref[0], ref[1], ref[2]);
            VEC.layerNorm(x, w, b, 1e-5f, vec[0], vec[1], vec[2]);
            for (int i = 0; i < 3; i++) assertClose(ref[i], vec[i], 1e-4, 1e-5, "layer norm " + n + " output " + i);
            Tensor gx1 = Tensor.zeros(5, n), gx2 = Tensor.zeros(5, n), gw1 = Tensor.zeros(n), gw2 = Tensor.zeros(n), gb1 = Tensor.zeros(n), gb2 = Tensor.zeros(n);
            REF.layerNormBackward(x, w, ref[1], ref[2], gy, gx1, gw1, gb1);
            VEC.layerNormBackward(x, w, vec[1], vec[2], gy, gx2, gw2, gb2);
            assertClose(gx1, gx2, 1e-3, 1e-4, "layer norm backward x");
            assertClose(gw1, gw2, 1e-3, 1e-4, "layer norm backward weight");
        }
    }

    @Test
    void batchedMatmulWithBroadcastAndTransposedViews() {
        Generator g = new Generator(7);
        bothThreads(() -> {
            for (int m : SIZES) for (int k : new int[] {1, 17, 129}) for (int n : new int[] {1, 33}) {
                Tensor a = Tensor.randn(g, 2, 1, m, k), b = Tensor.randn(g, 3, n, k).transpose(-1, -2);
                Tensor ae = a.expand(2, 3, m, k), be2 = b.expand(2, 3, k, n);
                compare("matmul " + m + "x" + k + "x" + n, new int[] {2, 3, m, n}, (be, out) -> be.matmul(ae, be2, out), 1e-4);
            }
        });
    }

    @Test
    void longRowsAreSplitAcrossThreadsWithoutChangingResults() {
        Generator g = new Generator(9);
        Tensor a = Tensor.randn(g, 3, 70_001), b = Tensor.randn(g, 3, 70_001);
        bothThreads(() -> {
            compare("long exp", a.shape(), (be, out) -> be.unary(UnaryOp.EXP, a, out), 2e-6);
            compare("long mul", a.shape(), (be, out) -> be.binary(BinaryOp.MUL, a, b, out), 0);
            compare("long strided add", a.shape(), (be, out) -> be.binary(BinaryOp.ADD, a, b.narrow(1, 0, 70_001), out), 0);
        });
        Tensor filled = Tensor.zeros(200_003).fill(2.5f);
        assertClose(Tensor.full(2.5f, 200_003), filled, 0, 0, "fill");
    }

    @Test
    void fewRowProductsTakeTheGemvPathInBothLayouts() {
        Generator g = new Generator(10);
        bothThreads(() -> {
            for (int m : new int[] {1, 2}) for (int k : new int[] {1, 7, 33, 300}) for (int n : new int[] {1, 17, 129, 1000}) {
                Tensor a = Tensor.randn(g, 3, m, k);
                Tensor rowMajor = Tensor.randn(g, 3, k, n), transposed = Tensor.randn(g, 3, n, k).transpose(-1, -2);
                Tensor shared = Tensor.randn(g, k, n).expand(3, k, n), strided = Tensor.randn(g, 3, k, 2 * n).narrow(2, 0, n);
                for (Tensor b : List.of(rowMajor, transposed, shared, strided)) {
                    compare("gemv " + m + "x" + k + "x" + n, new int[] {3, m, n}, (be, out) -> be.matmul(a, b, out), 1e-4);
                }
            }
        });
    }

    @Test
    void copiesOfStridedViews() {
        Generator g = new Generator(8);
        Tensor x = Tensor.randn(g, 7, 17, 33).permute(2, 0, 1).narrow(0, 3, 20);
        compare("copy", x.shape(), (be, out) -> be.unary(UnaryOp.IDENTITY, x, out), 0);
        assertClose(x.toFloatArray(), x.contiguous().toFloatArray(), 0, 0, "contiguous");
    }
}

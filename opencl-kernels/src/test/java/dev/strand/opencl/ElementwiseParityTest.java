package dev.strand.opencl;

import static dev.strand.opencl.TestDevice.identical;
import static dev.strand.opencl.TestDevice.same;

import dev.strand.tensor.BinaryOp;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import dev.strand.tensor.UnaryOp;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Elementwise kernels against the CPU on awkward shapes, strided views and broadcasting. */
class ElementwiseParityTest {
    private static final int[] SIZES = {1, 7, 33, 129};

    @BeforeAll
    static void device() {
        TestDevice.require();
    }

    /** Ways to see a [rows, cols] base of shape [rows, cols + 3] as [rows, cols]: narrowed, or all of a transpose. */
    private static List<Function<Tensor, Tensor>> views(int cols) {
        return List.of(t -> t.narrow(1, 0, cols), t -> t.narrow(1, 2, cols).contiguous(), t -> t.narrow(1, 1, cols));
    }

    @Test
    void unaryOpsOnContiguousAndStridedInputs() {
        Generator g = new Generator(1);
        for (UnaryOp op : UnaryOp.values()) {
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RECIPROCAL;
            for (int r : SIZES) {
                int c = r == 1 ? 33 : 7;
                Tensor base = Tensor.uniform(g, positive ? 0.05f : -6f, 6f, r, c + 3);
                Tensor tall = Tensor.uniform(g, positive ? 0.05f : -6f, 6f, c, r);
                same(op + " " + r + "x" + c, 2e-6, 2e-6, on -> on.t(base).narrow(1, 2, c).map(op));
                same(op + " transposed " + r + "x" + c, 2e-6, 2e-6, on -> on.t(tall).t().map(op));
            }
        }
    }

    @Test
    void binaryOpsWithBroadcasting() {
        Generator g = new Generator(2);
        for (BinaryOp op : BinaryOp.values()) {
            boolean positive = op == BinaryOp.POW || op == BinaryOp.DIV;
            float lo = positive ? 0.25f : -4f;
            for (int n : SIZES) {
                Tensor a = Tensor.uniform(g, lo, 4f, 3, n), b = Tensor.uniform(g, lo, 4f, 3, n);
                Tensor row = Tensor.uniform(g, lo, 4f, n), col = Tensor.uniform(g, lo, 4f, 3, 1);
                Tensor wide = Tensor.uniform(g, lo, 4f, n, 5);
                // Equal operands exercise EQ/LE/GE on ties.
                Tensor ties = a.narrow(0, 1, 1).contiguous();
                same(op + " same shape " + n, 1e-6, 1e-6, on -> on.t(a).zip(op, on.t(b)));
                same(op + " row broadcast " + n, 1e-6, 1e-6, on -> on.t(a).zip(op, on.t(row)));
                same(op + " column broadcast " + n, 1e-6, 1e-6, on -> on.t(col).zip(op, on.t(a)));
                same(op + " outer product " + n, 1e-6, 1e-6, on -> on.t(col).zip(op, on.t(row)));
                same(op + " ties " + n, 1e-6, 1e-6, on -> on.t(a).zip(op, on.t(ties)));
                same(op + " transposed " + n, 1e-6, 1e-6, on -> on.t(wide).t().narrow(0, 1, 3).zip(op, on.t(a).narrow(1, 0, n)));
                same(op + " scalar " + n, 1e-6, 1e-6, on -> on.t(a).zip(op, on.t(Tensor.scalar(1.5f))));
            }
        }
    }

    @Test
    void inPlaceUpdatesAndWritesIntoViews() {
        Generator g = new Generator(3);
        Tensor x = Tensor.uniform(g, -1f, 1f, 7, 33), y = Tensor.uniform(g, -1f, 1f, 33);
        same("addInPlace broadcast", 1e-6, 0, on -> on.t(x).copy().addInPlace(on.t(y)));
        same("fill a strided view", 0, 0, on -> {
            Tensor t = on.t(x).copy();
            t.narrow(1, 3, 9).t().fill(2.5f);
            return t;
        });
        same("copy into a transposed view", 0, 0, on -> {
            Tensor t = Tensor.zeros(on.device(), dev.strand.tensor.DType.FLOAT32, 33, 7);
            t.t().copyFrom(on.t(x));
            return t;
        });
        same("concat along dim 1", 0, 0, on -> Tensor.concat(List.of(on.t(x), on.t(x).narrow(1, 2, 5), on.t(y).view(33, 1).t().expand(7, 33)), 1));
        same("where with broadcast condition", 0, 0, on -> Tensor.where(on.t(y).gt(0f), on.t(x), on.t(Tensor.scalar(-9f))));
        same("maskedFill with -inf", 0, 0, on -> on.t(x).maskedFill(on.t(x).lt(0f), Float.NEGATIVE_INFINITY));
        same("a tensor of rank 6 with 6 strided dims", 0, 0, on -> on.t(Tensor.arange(720).view(2, 3, 4, 5, 6, 1))
                .permute(5, 4, 2, 0, 3, 1).narrow(2, 1, 3).exp().log());
    }

    @Test
    void castsAndIntCopies() {
        Tensor f = Tensor.of(new float[] {-2.7f, -0.5f, 0f, 0.99f, 3.5f, 1e10f, -1e10f, Float.NaN, 7f}, 3, 3);
        identical("float to int truncates, saturates, NaN to 0", on -> on.t(f).t().toInt());
        Tensor i = Tensor.ofInts(new int[] {-5, 0, 3, 16777217, Integer.MAX_VALUE, Integer.MIN_VALUE}, 2, 3);
        identical("int to float", on -> on.t(i).t().toFloat());
        identical("int strided copy", on -> on.t(i).t().contiguous());
        identical("eq of ints", on -> on.t(i).eq(on.t(i).t().contiguous().t()));
    }
}

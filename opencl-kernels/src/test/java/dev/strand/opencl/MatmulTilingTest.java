package dev.strand.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.DType;
import dev.strand.tensor.Device;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** matmul.cl under every tiling the backend may pick (or be told to use), against the CPU. */
class MatmulTilingTest {
    private static final int[] SIZES = {1, 7, 33, 129};

    static Stream<MatmulTiling> tilings() {
        return Stream.of(MatmulTiling.SMALL, MatmulTiling.DEFAULT, MatmulTiling.parse("64x32x8/8x2"));
    }

    @ParameterizedTest
    @MethodSource("tilings")
    void awkwardSizesTransposedViewsAndBroadcastBatches(MatmulTiling tiling) {
        OpenClBackend backend = TestDevice.backend();
        tiling.requireFits(backend.info());
        Generator g = new Generator(11);
        for (int m : SIZES) for (int k : SIZES) for (int n : new int[] {1, 33, 129}) {
            Tensor a = Tensor.uniform(g, -1f, 1f, m, k), b = Tensor.uniform(g, -1f, 1f, k, n);
            check(backend, tiling, m + "x" + k + " · " + k + "x" + n, on -> new Tensor[] {on.t(a), on.t(b)});
        }
        Tensor at = Tensor.uniform(g, -1f, 1f, 140, 70), bt = Tensor.uniform(g, -1f, 1f, 90, 140);
        check(backend, tiling, "both transposed and narrowed", on -> new Tensor[] {on.t(at).t().narrow(0, 3, 60), on.t(bt).t().narrow(1, 1, 77)});
        Tensor q = Tensor.uniform(g, -1f, 1f, 2, 3, 33, 8), w = Tensor.uniform(g, -1f, 1f, 8, 130);
        check(backend, tiling, "[2, 3, 33, 8] · [8, 130] broadcast over the batch", on -> new Tensor[] {on.t(q), on.t(w).expand(2, 3, 8, 130)});
    }

    @ParameterizedTest
    @MethodSource("tilings")
    void longProductsOfFewTilesAreSplitAlongK(MatmulTiling tiling) {
        OpenClBackend backend = TestDevice.backend();
        Generator g = new Generator(12);
        // 2055 = 14 slices of 144 and one of 39; a weight gradient's shape, Xᵀ·dY, from strided views.
        assertEquals(144, Splits.matmulSliceDepth(33, 7, 2055, 1));
        Tensor a = Tensor.uniform(g, -1f, 1f, 33, 2055), b = Tensor.uniform(g, -1f, 1f, 2055, 7);
        check(backend, tiling, "33x2055 · 2055x7 in slices of k", on -> new Tensor[] {on.t(a), on.t(b)});
        Tensor x = Tensor.uniform(g, -1f, 1f, 1500, 20), dy = Tensor.uniform(g, -1f, 1f, 1500, 130);
        check(backend, tiling, "[1500, 20]ᵀ · [1500, 130]", on -> new Tensor[] {on.t(x).t(), on.t(dy)});
        Tensor p = Tensor.uniform(g, -1f, 1f, 2, 3, 5, 1100), r = Tensor.uniform(g, -1f, 1f, 1100, 9);
        check(backend, tiling, "[2, 3, 5, 1100] · [1100, 9] broadcast over the batch", on -> new Tensor[] {on.t(p), on.t(r).expand(2, 3, 1100, 9)});
        assertEquals(4096, Splits.matmulSliceDepth(4096, 4096, 4096, 1), "a big product keeps one slice");
        assertEquals(128, Splits.matmulSliceDepth(256, 256, 4096, 1), "a 256x256 weight gradient over 4096 rows");
    }

    /** The product of the two operands {@code f} gives (same batch dims): on the CPU, and on the device under {@code tiling}. */
    private static void check(OpenClBackend backend, MatmulTiling tiling, String what, Function<TestDevice.On, Tensor[]> f) {
        Tensor[] cpu = f.apply(new TestDevice.On(Device.CPU));
        Tensor[] dev = f.apply(new TestDevice.On(TestDevice.require()));
        Tensor expected = cpu[0].matmul(cpu[1]);
        Tensor actual = Tensor.zeros(TestDevice.require(), DType.FLOAT32, expected.shape());
        backend.matmul(dev[0], dev[1], actual, tiling);
        TestDevice.assertClose(expected, actual, 1e-4, 1e-5, tiling + " " + what);
    }

    @Test
    void parsesWhatItPrints() {
        for (MatmulTiling t : tilings().toList()) assertEquals(t, MatmulTiling.parse(t.toString()));
        IllegalArgumentException form = assertThrows(IllegalArgumentException.class, () -> MatmulTiling.parse("128x128"));
        assertTrue(form.getMessage().contains("MxNxK/WMxWN"), form.getMessage());
        IllegalArgumentException block = assertThrows(IllegalArgumentException.class, () -> MatmulTiling.parse("64x64x16/5x4"));
        assertTrue(block.getMessage().contains("multiple of its register block"), block.getMessage());
    }

    @Test
    void aDeviceWithLittleLocalMemoryGetsTheSmallTiling() {
        assertEquals(MatmulTiling.DEFAULT, MatmulTiling.forDevice(device(48 << 10, 1024)));
        assertEquals(MatmulTiling.SMALL, MatmulTiling.forDevice(device(16 << 10, 1024)));
    }

    @Test
    void aTilingTheDeviceCannotLaunchNamesTheLimit() {
        ClDeviceInfo small = device(16 << 10, 128);
        IllegalArgumentException items = assertThrows(IllegalArgumentException.class, () -> MatmulTiling.SMALL.requireFits(small));
        assertTrue(items.getMessage().contains("256 work items") && items.getMessage().contains("opencl:3 takes at most 128"), items.getMessage());
        IllegalArgumentException local = assertThrows(IllegalArgumentException.class, () -> MatmulTiling.parse("64x64x64/8x8").requireFits(small));
        assertTrue(local.getMessage().contains("bytes of local memory"), local.getMessage());
    }

    /** opencl:3, a GPU with {@code localBytes} of local memory and work groups of at most {@code maxItems}. */
    private static ClDeviceInfo device(long localBytes, long maxItems) {
        return new ClDeviceInfo(3, "p", "OpenCL 3.0", "tiny", "GPU", 1, 1L << 30, 1L << 28, localBytes, maxItems, null, null);
    }
}

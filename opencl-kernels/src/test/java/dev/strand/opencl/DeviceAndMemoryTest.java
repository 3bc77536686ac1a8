package dev.strand.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.Backends;
import dev.strand.tensor.DType;
import dev.strand.tensor.Device;
import dev.strand.tensor.Generator;
import dev.strand.tensor.OptimizerKernels;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Device lookup and transfer, mixed-device errors, the buffer pool, out-of-memory and build errors. */
class DeviceAndMemoryTest {
    private static Device dev;

    @BeforeAll
    static void device() {
        dev = TestDevice.require();
    }

    @Test
    void openclNamesTheFirstDeviceAndTensorsMoveBothWays() {
        assertSame(Backends.of(Device.parse("opencl")), Backends.of(Device.parse("opencl:0")));
        assertInstanceOf(OpenClBackend.class, Backends.of(dev));
        Tensor cpu = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor onDevice = cpu.t().to(dev);
        assertEquals(dev, onDevice.device());
        assertEquals("Tensor[3, 2] on opencl:0", onDevice.toString());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, onDevice.to(Device.CPU).toFloatArray());
        assertSame(onDevice, onDevice.to(dev));
        assertArrayEquals(new int[] {7, -1}, Tensor.ofInts(new int[] {7, -1}).to(dev).toIntArray());
        assertEquals(2f, onDevice.get(1, 0), 0f);
    }

    @Test
    void aMissingDeviceIsAClearError() {
        int count = OpenClDevices.list().size();
        var e = assertThrows(IllegalArgumentException.class, () -> Backends.of(new Device("opencl", count + 3)));
        assertTrue(e.getMessage().contains("no OpenCL device " + (count + 3)) && e.getMessage().contains("opencl:0"), e.getMessage());
    }

    @Test
    void mixingDeviceAndCpuTensorsIsAnErrorInEveryOp() {
        Tensor d = Tensor.uniform(new Generator(1), -1f, 1f, 3, 4).to(dev), c = Tensor.ones(3, 4);
        Tensor dIdx = Tensor.ofInts(new int[] {0, 2}).to(dev), cIdx = Tensor.ofInts(new int[] {0, 2});
        Tensor.LayerNormResult dForward = d.layerNorm(null, null, 1e-5f);
        List<Executable> mixes = new ArrayList<>(List.of(
                () -> d.add(c), () -> c.mul(d), () -> d.matmul(c.t()), () -> Tensor.where(c, d, d),
                () -> d.copy().copyFrom(c), () -> d.copy().addInPlace(c), () -> Tensor.concat(List.of(d, c), 0),
                () -> d.indexSelect(0, cIdx), () -> c.indexSelect(0, dIdx), () -> d.copy().indexAddInPlace(1, dIdx, c.narrow(1, 0, 2)),
                () -> d.gather(1, Tensor.zeros(Device.CPU, DType.INT32, 3, 1)),
                () -> d.copy().scatterAddInPlace(1, Tensor.zeros(dev, DType.INT32, 3, 1), Tensor.ones(3, 1)),
                () -> d.softmax(1).softmaxBackward(c, 1, false), () -> d.layerNorm(Tensor.ones(4), null, 1e-5f),
                () -> d.layerNormBackward(null, dForward, c, false, false),
                () -> OptimizerKernels.adamStep(d.copy(), c, Tensor.zeros(dev, DType.FLOAT32, 3, 4), Tensor.zeros(dev, DType.FLOAT32, 3, 4), 0.1f, 0.9f, 0.999f, 1e-8f, 0f, 0f, 1)));
        for (Executable mix : mixes) {
            var e = assertThrows(IllegalArgumentException.class, mix);
            assertTrue(e.getMessage().contains("different devices") && e.getMessage().contains("to(device)"), e.getMessage());
        }
    }

    @Test
    void freedBuffersAreReusedFromThePool() {
        OpenClBackend b = TestDevice.backend();
        long budget = b.memory().budgetBytes(), bytes = 1000L * 257 * 4;
        try {
            b.releaseUnusedMemory();
            // Room for one such tensor at a time: every new one must reuse the last one's buffer,
            // which comes back once the garbage collector finds that tensor dead.
            b.setMemoryBudget(b.memory().inUseBytes() + bytes * 3 / 2);
            long created = b.memory().buffersCreated();
            for (int i = 0; i < 8; i++) {
                Tensor t = Tensor.zeros(dev, DType.FLOAT32, 1000, 257);
                assertArrayEquals(new float[257], t.narrow(0, 999, 1).toFloatArray(), "a reused buffer is zero-filled again");
                t.fill(1f);
            }
            assertTrue(b.memory().buffersCreated() - created <= 2,
                    "8 tensors of one size should reuse pooled buffers, but " + (b.memory().buffersCreated() - created) + " were created");
        } finally {
            b.setMemoryBudget(budget);
        }
        long idle = b.memory().pooledBytes(), freed = b.releaseUnusedMemory();
        assertTrue(freed > 0 && freed >= idle, "releaseUnusedMemory frees the dead tensors' and idle buffers: " + freed + " of " + idle);
    }

    @Test
    void deadTensorsComeBackLongBeforeTheBudgetIsReached() {
        OpenClBackend b = TestDevice.backend();
        long budget = b.memory().budgetBytes(), mib = 1 << 20;
        try {
            b.releaseUnusedMemory();
            long inUse = b.memory().inUseBytes();
            // An eighth of this budget is 32 MiB (and an eighth of what earlier tests left live).
            b.setMemoryBudget(inUse + 256 * mib);
            long created = b.memory().buffersCreated(), peak = 0;
            for (int i = 0; i < 100; i++) {
                Tensor.zeros(dev, DType.FLOAT32, 1 << 18).fill(1f);   // 1 MiB, dead at once
                OpenClBackend.MemoryStats m = b.memory();
                peak = Math.max(peak, m.inUseBytes() + m.pooledBytes());
            }
            long made = b.memory().buffersCreated() - created;
            assertTrue(made < 50, "100 short-lived 1 MiB tensors under a 256 MiB budget created " + made + " buffers; dead ones should be reused");
            assertTrue(peak - inUse < 64 * mib + inUse / 8, "the pool grew to " + (peak - inUse) / mib + " MiB above the live tensors");

            // Told to collect only at the budget, the pool creates a buffer for each of them.
            b.releaseUnusedMemory();
            b.setCollectEvery(Long.MAX_VALUE);
            created = b.memory().buffersCreated();
            for (int i = 0; i < 100; i++) Tensor.zeros(dev, DType.FLOAT32, 1 << 18).fill(1f);
            assertTrue(b.memory().buffersCreated() - created >= 90, "created " + (b.memory().buffersCreated() - created));
        } finally {
            b.setMemoryBudget(budget);
            b.setCollectEvery(0);
        }
    }

    @Test
    void runningOutOfDeviceMemorySaysHowMuchWasAskedAndIsFree() {
        OpenClBackend b = TestDevice.backend();
        long budget = b.memory().budgetBytes();
        List<Tensor> held = new ArrayList<>();
        try {
            b.releaseUnusedMemory();   // earlier tests' garbage must not come back during the test
            b.setMemoryBudget(b.memory().inUseBytes() + (8L << 20));
            held.add(Tensor.zeros(dev, DType.FLOAT32, 1 << 20));           // 4 MiB fits
            var e = assertThrows(OutOfDeviceMemoryException.class, () -> Tensor.zeros(dev, DType.FLOAT32, 3 << 20));
            assertTrue(e.getMessage().contains("out of device memory: asked for 12.0 MiB") && e.getMessage().contains("free of"), e.getMessage());
            assertEquals(12L << 20, e.requestedBytes());
            assertTrue(e.freeBytes() >= 0 && e.freeBytes() < e.requestedBytes(), "free " + e.freeBytes());
            held.clear();
            Tensor again = Tensor.zeros(dev, DType.FLOAT32, 3 << 19);
            assertEquals(dev, again.device(), "once tensors die their memory can be used again");
        } finally {
            b.setMemoryBudget(budget);
        }
    }

    @Test
    void aBufferLargerThanTheDevicesLargestIsAClearError() {
        // A pool of its own with a 1 MiB largest buffer: devices differ (PoCL here allows 8 GiB, as
        // large as a float tensor gets), and the request fails before the pool touches the device.
        var pool = new BufferPool(null, "opencl:0 (test)", 1L << 30, 1L << 20);
        var e = assertThrows(OutOfDeviceMemoryException.class, () -> pool.acquire(3L << 19));
        assertTrue(e.getMessage().contains("a buffer of 1.5 MiB is larger than the device's largest buffer (1.0 MiB)"), e.getMessage());
        assertEquals(3L << 19, e.requestedBytes());
    }

    @Test
    void aKernelThatDoesNotCompileNamesItsFileAndShowsTheLog() {
        var e = assertThrows(KernelBuildException.class,
                () -> TestDevice.backend().buildForTest("broken.cl", "__kernel void broken(__global float* x) { x[0] = undeclared_name; }"));
        assertEquals("broken.cl", e.file());
        assertTrue(e.getMessage().contains("broken.cl") && e.getMessage().contains("undeclared_name"), e.getMessage());
    }
}

package dev.strand.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strand.tensor.Backends;
import dev.strand.tensor.DType;
import dev.strand.tensor.Device;
import dev.strand.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;

/**
 * The OpenCL device the tests run on (opencl:0, PoCL in CI), and comparisons of one computation on
 * the CPU and on that device. Without an OpenCL platform the tests fail when CI=true and are
 * skipped, saying why, elsewhere.
 */
final class TestDevice {
    private static boolean skipReported;

    private TestDevice() {}

    /** opencl:0, or the test stops here (failing in CI). */
    static Device require() {
        if (OpenClDevices.list().isEmpty()) {
            String why = "the OpenCL backend tests need an OpenCL device, but " + OpenClDevices.problem();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why + " (CI=true: the tests must run; ./strand test installs PoCL when it can)");
            if (!skipReported) {
                skipReported = true;
                System.err.println("SKIPPED: " + why);
            }
            Assumptions.abort(why);
        }
        return new Device("opencl", 0);
    }

    static OpenClBackend backend() {
        return (OpenClBackend) Backends.of(require());
    }

    /**
     * Runs {@code body} with the test device as the default device (as a training program on the
     * device does: everything nn and autograd create then lives there), and the CPU again after.
     */
    static <T> T withDefaultDevice(java.util.function.Supplier<T> body) {
        Device previous = Backends.defaultDevice();
        Backends.setDefaultDevice(require());
        try {
            return body.get();
        } finally {
            Backends.setDefaultDevice(previous);
        }
    }

    /** Gives computations their inputs on one device: the CPU originals, or device copies of them. */
    static final class On {
        private final Device device;
        private final Map<Tensor, Tensor> copies = new IdentityHashMap<>();

        On(Device device) {
            this.device = device;
        }

        /** {@code cpu} on this device (the same copy each time it is asked for). */
        Tensor t(Tensor cpu) {
            return copies.computeIfAbsent(cpu, c -> c.to(device));
        }

        Device device() {
            return device;
        }
    }

    /** Runs {@code f} on the CPU and on the device and compares the results (|a − e| ≤ atol + rtol·|e|). */
    static void same(String what, double rtol, double atol, Function<On, Tensor> f) {
        Tensor expected = f.apply(new On(Device.CPU));
        Tensor actual = f.apply(new On(require()));
        assertEquals(require(), actual.device(), what + ": result device");
        assertClose(expected, actual, rtol, atol, what);
    }

    /** Runs {@code f} on both and requires identical bits. */
    static void identical(String what, Function<On, Tensor> f) {
        Tensor expected = f.apply(new On(Device.CPU));
        Tensor actual = f.apply(new On(require()));
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        if (expected.dtype() == DType.INT32) {
            assertArrayEquals(expected.toIntArray(), actual.toIntArray(), what);
        } else {
            float[] e = expected.toFloatArray(), a = actual.toFloatArray();
            for (int i = 0; i < e.length; i++) {
                if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
            }
        }
    }

    static void assertClose(Tensor expected, Tensor actual, double rtol, double atol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        if (expected.dtype() == DType.INT32) {
            assertArrayEquals(expected.toIntArray(), actual.toIntArray(), what);
            return;
        }
        assertClose(expected.toFloatArray(), actual.toFloatArray(), rtol, atol, what);
    }

    static void assertClose(float[] e, float[] a, double rtol, double atol, String what) {
        assertEquals(e.length, a.length, what + ": length");
        for (int i = 0; i < e.length; i++) {
            if (Float.isNaN(e[i]) && Float.isNaN(a[i]) || e[i] == a[i]) continue;
            if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
        }
    }
}

package dev.strand.opencl;

import dev.strand.tensor.Backend;
import dev.strand.tensor.Backends;

/**
 * Registers the OpenCL backend for devices {@code opencl:N} (through {@link java.util.ServiceLoader}).
 * The memory budget is the device's global memory, or {@code -Dstrand.opencl.memory=MiB};
 * {@code -Dstrand.opencl.collect-every=MiB} sets how much the pool hands out between the garbage
 * collections it asks for (0: only when the budget is reached; unset: an eighth of the budget).
 */
public final class OpenClBackendProvider implements Backends.BackendProvider {
    @Override
    public String kind() {
        return "opencl";
    }

    @Override
    public Backend create(int index) {
        ClDeviceInfo info = OpenClDevices.get(index);
        OpenClBackend backend = new OpenClBackend(info, mib("strand.opencl.memory", info.globalMemBytes()));
        if (System.getProperty("strand.opencl.collect-every") != null) {
            long every = mib("strand.opencl.collect-every", 0);
            backend.setCollectEvery(every == 0 ? Long.MAX_VALUE : every);
        }
        return backend;
    }

    @Override
    public java.util.List<String> report() {
        return OpenClDevices.report();
    }

    /** System property {@code name} as a number of MiB, in bytes; {@code fallback} when unset. */
    private static long mib(String name, long fallback) {
        String value = System.getProperty(name);
        if (value == null) return fallback;
        try {
            long m = Long.parseLong(value.strip());
            if (m < 0) throw new NumberFormatException();
            return m << 20;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of MiB, got '" + value + "'");
        }
    }
}

package dev.strand.opencl;

import dev.strand.tensor.Backend;
import dev.strand.tensor.Backends;

/**
 * Registers the OpenCL backend for devices {@code opencl:N} (through {@link java.util.ServiceLoader}).
 * The memory budget is the device's global memory, or {@code -Dstrand.opencl.memory=MiB}.
 */
public final class OpenClBackendProvider implements Backends.BackendProvider {
    @Override
    public String kind() {
        return "opencl";
    }

    @Override
    public Backend create(int index) {
        ClDeviceInfo info = OpenClDevices.get(index);
        String limit = System.getProperty("strand.opencl.memory");
        long budget = info.globalMemBytes();
        if (limit != null) {
            try {
                budget = Long.parseLong(limit.strip()) << 20;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("strand.opencl.memory must be a number of MiB, got '" + limit + "'");
            }
        }
        return new OpenClBackend(info, budget);
    }
}

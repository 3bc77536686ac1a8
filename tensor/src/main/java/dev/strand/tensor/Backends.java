package dev.strand.tensor;

import dev.strand.tensor.cpu.CpuBackend;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the backend that serves a device. The CPU backend is built in; others (OpenCL) register
 * through {@link java.util.ServiceLoader} as {@link BackendProvider}s, so no caller above the
 * tensor layer names a device-specific class.
 */
public final class Backends {
    private static final Map<Device, Backend> BACKENDS = new ConcurrentHashMap<>();
    private static volatile Device defaultDevice = Device.CPU;

    static {
        BACKENDS.put(Device.CPU, CpuBackend.INSTANCE);
    }

    private Backends() {}

    /** Creates backends for devices of one kind, found through ServiceLoader. */
    public interface BackendProvider {
        /** The device kind served, e.g. "opencl". */
        String kind();

        /** A backend for device {@code index} of this kind; throws a clear error if there is none. */
        Backend create(int index);
    }

    /** The backend of {@code device}, created on first use. */
    public static Backend of(Device device) {
        if (device == Device.CPU) return CpuBackend.INSTANCE;   // every op asks: skip the map's hashing
        return BACKENDS.computeIfAbsent(device, d -> {
            for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
                if (p.kind().equals(d.kind())) return p.create(d.index());
            }
            throw new IllegalArgumentException("no backend for device " + d
                    + " (known: cpu" + (d.kind().equals("opencl") ? "; the OpenCL backend is not on the class path" : "") + ")");
        });
    }

    /** The device new tensors are created on unless one is named. */
    public static Device defaultDevice() {
        return defaultDevice;
    }

    public static void setDefaultDevice(Device device) {
        of(device);
        defaultDevice = device;
    }
}

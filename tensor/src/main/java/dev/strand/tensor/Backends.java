package dev.strand.tensor;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the backend that serves a device. Every backend, the CPU's included, registers through
 * {@link java.util.ServiceLoader} as a {@link BackendProvider}, so neither this package nor any
 * caller above the tensor layer names a device-specific class.
 */
public final class Backends {
    private static final Map<Device, Backend> BACKENDS = new ConcurrentHashMap<>();
    private static final Backend CPU = cpu();
    private static volatile Device defaultDevice = Device.CPU;

    static {
        BACKENDS.put(Device.CPU, CPU);
    }

    /** The CPU backend, which tensor's own jar registers (dev.strand.tensor.cpu). */
    private static Backend cpu() {
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
            if (p.kind().equals(Device.CPU.kind())) return p.create(0);
        }
        throw new IllegalStateException("no CPU backend registered: META-INF/services/" + BackendProvider.class.getName()
                + " from strand-tensor's jar is missing (a fat jar must merge service files)");
    }

    private Backends() {}

    /** Creates backends for devices of one kind, found through ServiceLoader. */
    public interface BackendProvider {
        /** The device kind served, e.g. "opencl". */
        String kind();

        /** A backend for device {@code index} of this kind; throws a clear error if there is none. */
        Backend create(int index);

        /** Lines describing this kind's devices for {@code strand devices}, or the line saying why there are none. */
        default java.util.List<String> report() {
            return java.util.List.of();
        }
    }

    /** Every registered kind's {@link BackendProvider#report}, in ServiceLoader order. */
    public static java.util.List<String> report() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) lines.addAll(p.report());
        return lines;
    }

    /** The backend of {@code device}, created on first use. */
    public static Backend of(Device device) {
        if (device == Device.CPU) return CPU;   // every op asks: skip the map's hashing
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

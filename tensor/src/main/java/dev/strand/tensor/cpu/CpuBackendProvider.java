package dev.strand.tensor.cpu;

import dev.strand.tensor.Backend;
import dev.strand.tensor.Backends;

/**
 * Registers the CPU backend (through {@link java.util.ServiceLoader}, as every backend is), so the
 * tensor package names no backend of its own and depends on none.
 */
public final class CpuBackendProvider implements Backends.BackendProvider {
    @Override
    public String kind() {
        return "cpu";
    }

    @Override
    public Backend create(int index) {
        if (index != 0) throw new IllegalArgumentException("there is one CPU device, cpu (cpu:0); got cpu:" + index);
        return CpuBackend.INSTANCE;
    }
}

package dev.strand.tensor.cpu;

import dev.strand.tensor.DType;
import dev.strand.tensor.Device;
import dev.strand.tensor.Storage;

/** Heap storage: a {@code float[]} for FLOAT32 or an {@code int[]} for INT32. */
public final class CpuStorage implements Storage {
    final float[] floats;
    final int[] ints;

    CpuStorage(float[] floats) {
        this.floats = floats;
        this.ints = null;
    }

    CpuStorage(int[] ints) {
        this.floats = null;
        this.ints = ints;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public DType dtype() {
        return floats != null ? DType.FLOAT32 : DType.INT32;
    }

    @Override
    public int size() {
        return floats != null ? floats.length : ints.length;
    }

    /** The backing array of a FLOAT32 storage (shared, not copied). */
    public float[] floats() {
        return floats;
    }

    /** The backing array of an INT32 storage (shared, not copied). */
    public int[] ints() {
        return ints;
    }
}

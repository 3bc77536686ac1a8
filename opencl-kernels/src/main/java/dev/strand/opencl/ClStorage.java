package dev.strand.opencl;

import dev.strand.tensor.DType;
import dev.strand.tensor.Device;
import dev.strand.tensor.Storage;
import org.jocl.cl_mem;

/** A device buffer from the {@link BufferPool} holding {@code size} elements of one dtype. */
final class ClStorage implements Storage {
    private final Device device;
    private final DType dtype;
    private final int size;
    private final BufferPool.Buffer buffer;

    ClStorage(Device device, DType dtype, int size, BufferPool.Buffer buffer) {
        this.device = device;
        this.dtype = dtype;
        this.size = size;
        this.buffer = buffer;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int size() {
        return size;
    }

    BufferPool.Buffer buffer() {
        return buffer;
    }

    cl_mem mem() {
        return buffer.mem();
    }
}

package dev.strand.opencl;

/** A device buffer that does not fit: says how much was asked for and how much is free. */
public final class OutOfDeviceMemoryException extends IllegalStateException {
    private final long requestedBytes;
    private final long freeBytes;

    OutOfDeviceMemoryException(String message, long requestedBytes, long freeBytes) {
        super(message);
        this.requestedBytes = requestedBytes;
        this.freeBytes = freeBytes;
    }

    /** Bytes the failed allocation asked for. */
    public long requestedBytes() {
        return requestedBytes;
    }

    /** Bytes of the device budget not held by live tensors when it failed. */
    public long freeBytes() {
        return freeBytes;
    }
}

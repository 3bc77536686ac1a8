package dev.strand.tensor;

/** Element type of a tensor: 32-bit floats for values, 32-bit ints for token ids and indices. */
public enum DType {
    FLOAT32(4),
    INT32(4);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }
}

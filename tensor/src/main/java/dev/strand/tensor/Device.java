package dev.strand.tensor;

/**
 * Where a tensor's storage lives and its kernels run: {@code cpu}, or {@code opencl:N}.
 *
 * @param kind  backend family, e.g. "cpu" or "opencl"
 * @param index device number within the family (0 for the CPU)
 */
public record Device(String kind, int index) {
    /** The host CPU, served by the Vector API kernels. */
    public static final Device CPU = new Device("cpu", 0);

    /** Parses {@code cpu}, {@code opencl} or {@code opencl:N}. */
    public static Device parse(String s) {
        int colon = s.indexOf(':');
        if (colon < 0) return s.equals("cpu") ? CPU : new Device(s, 0);
        try {
            return new Device(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad device '" + s + "': expected cpu, opencl or opencl:N");
        }
    }

    @Override
    public String toString() {
        return kind.equals("cpu") ? "cpu" : kind + ":" + index;
    }
}

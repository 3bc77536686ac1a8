package dev.strand.opencl;

/** An OpenCL C kernel file that did not compile on a device: names the file and carries the compiler's log. */
public final class KernelBuildException extends IllegalStateException {
    private final String file;
    private final String log;

    KernelBuildException(String file, String device, String log) {
        super("OpenCL kernel file " + file + " failed to build on " + device + ":\n" + log);
        this.file = file;
        this.log = log;
    }

    /** The kernel file, e.g. "matmul.cl". */
    public String file() {
        return file;
    }

    /** The compiler's build log. */
    public String log() {
        return log;
    }
}

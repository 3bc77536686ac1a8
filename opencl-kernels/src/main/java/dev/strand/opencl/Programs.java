package dev.strand.opencl;

import static org.jocl.CL.*;

import dev.strand.tensor.BinaryOp;
import dev.strand.tensor.ReduceOp;
import dev.strand.tensor.UnaryOp;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * The kernel files of one device, each built once on first use and cached with its kernels. Every
 * file is compiled after {@code common.cl} and the op codes of the Java enums ({@code UNARY_EXP},
 * {@code BINARY_ADD}, {@code REDUCE_SUM}, …), so the numbering cannot drift between host and device.
 */
final class Programs implements AutoCloseable {
    private static final String DIR = "/dev/strand/opencl/kernels/";
    private static final String PRELUDE = opCodes() + "#line 1 \"common.cl\"\n" + resource("common.cl");

    private final cl_context context;
    private final cl_device_id device;
    private final String deviceName;
    private final String options;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, Kernel> kernels = new HashMap<>();

    /** Programs built for {@code device} with compiler {@code options} (the -D sizes the host launches with). */
    Programs(cl_context context, cl_device_id device, String deviceName, String options) {
        this.context = context;
        this.device = device;
        this.deviceName = deviceName;
        this.options = options;
    }

    /** Kernel {@code name} of file {@code file} (e.g. "softmax.cl"), building the file on first use. */
    Kernel kernel(String file, String name) {
        return kernel(file, name, "");
    }

    /**
     * Kernel {@code name} of {@code file} built with {@code extraOptions} besides this device's
     * options (e.g. matmul.cl's tile sizes); each file and options pair is built once.
     */
    synchronized Kernel kernel(String file, String name, String extraOptions) {
        String program = extraOptions.isEmpty() ? file : file + " " + extraOptions;
        String key = program + "#" + name;
        Kernel k = kernels.get(key);
        if (k == null) {
            cl_program p = programs.computeIfAbsent(program, x -> build(file, extraOptions));
            try {
                k = new Kernel(file + ":" + name, clCreateKernel(p, name, null));
            } catch (CLException e) {
                throw new IllegalStateException("OpenCL kernel " + name + " not found in " + file + " (" + e.getMessage() + ")", e);
            }
            kernels.put(key, k);
        }
        return k;
    }

    private cl_program build(String file, String extraOptions) {
        cl_program p = clCreateProgramWithSource(context, 1, new String[] {source(file, resource(file))}, null, null);
        try {
            clBuildProgram(p, 1, new cl_device_id[] {device}, (options + " " + extraOptions).strip(), null, null);
        } catch (CLException e) {
            String log = buildLog(p);
            clReleaseProgram(p);
            throw new KernelBuildException(file, deviceName, log.isBlank() ? e.getMessage() : log);
        }
        return p;
    }

    private String buildLog(cl_program p) {
        long[] size = new long[1];
        clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] log = new byte[(int) size[0]];
        clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
        int n = log.length;
        while (n > 0 && log[n - 1] == 0) n--;
        return new String(log, 0, n, StandardCharsets.UTF_8).strip();
    }

    /** Builds {@code source} as if it were kernel file {@code file}; for tests of the error path. */
    void buildForTest(String file, String source) {
        cl_program p = clCreateProgramWithSource(context, 1, new String[] {source(file, source)}, null, null);
        try {
            clBuildProgram(p, 1, new cl_device_id[] {device}, options, null, null);
        } catch (CLException e) {
            String log = buildLog(p);
            throw new KernelBuildException(file, deviceName, log.isBlank() ? e.getMessage() : log);
        } finally {
            clReleaseProgram(p);
        }
    }

    /** What the compiler is given for kernel file {@code file} with text {@code text}: the op codes and common.cl first. */
    static String source(String file, String text) {
        return PRELUDE + "\n#line 1 \"" + file + "\"\n" + text;
    }

    static String resource(String file) {
        try (InputStream in = Programs.class.getResourceAsStream(DIR + file)) {
            if (in == null) throw new IllegalStateException("kernel file " + DIR + file + " is missing from the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String opCodes() {
        StringBuilder s = new StringBuilder();
        for (UnaryOp op : UnaryOp.values()) s.append("#define UNARY_").append(op.name()).append(' ').append(op.ordinal()).append('\n');
        for (BinaryOp op : BinaryOp.values()) s.append("#define BINARY_").append(op.name()).append(' ').append(op.ordinal()).append('\n');
        for (ReduceOp op : ReduceOp.values()) s.append("#define REDUCE_").append(op.name()).append(' ').append(op.ordinal()).append('\n');
        return s.toString();
    }

    @Override
    public synchronized void close() {
        for (Kernel k : kernels.values()) clReleaseKernel(k.handle());
        for (cl_program p : programs.values()) clReleaseProgram(p);
        kernels.clear();
        programs.clear();
    }
}

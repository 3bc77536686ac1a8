package dev.strand.opencl;

import static org.jocl.CL.*;

import java.util.Arrays;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * One built kernel. {@link #launch} sets its arguments and enqueues it as one step (kernel objects
 * hold their arguments, so two threads must not interleave the two).
 */
final class Kernel {
    private final String name;
    private final cl_kernel handle;

    Kernel(String name, cl_kernel handle) {
        this.name = name;
        this.handle = handle;
    }

    cl_kernel handle() {
        return handle;
    }

    /**
     * Enqueues the kernel over {@code global} work items in groups of {@code local} (each global
     * size a multiple of its local size). Arguments: {@code cl_mem} buffers, Integer, Float, Long
     * (cl_long / ulong) and int[] (a struct of ints passed by value).
     */
    synchronized void launch(cl_command_queue queue, long[] global, long[] local, Object... args) {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            switch (a) {
                case cl_mem m -> clSetKernelArg(handle, i, Sizeof.cl_mem, Pointer.to(m));
                case Integer v -> clSetKernelArg(handle, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
                case Float v -> clSetKernelArg(handle, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
                case Long v -> clSetKernelArg(handle, i, Sizeof.cl_long, Pointer.to(new long[] {v}));
                case int[] s -> clSetKernelArg(handle, i, (long) Sizeof.cl_int * s.length, Pointer.to(s));
                default -> throw new IllegalArgumentException("kernel " + name + ": unsupported argument " + a.getClass());
            }
        }
        try {
            clEnqueueNDRangeKernel(queue, handle, global.length, null, global, local, 0, null, null);
        } catch (CLException e) {
            throw new IllegalStateException("OpenCL kernel " + name + " failed to launch over " + Arrays.toString(global)
                    + " in groups of " + Arrays.toString(local) + ": " + e.getMessage(), e);
        }
    }

    /** Rounds n up to a multiple of {@code multiple} (at least one group). */
    static long roundUp(long n, long multiple) {
        return Math.max(multiple, (n + multiple - 1) / multiple * multiple);
    }
}

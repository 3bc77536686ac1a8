package dev.strand.opencl;

import static org.jocl.CL.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * The OpenCL platforms and devices on this machine. Devices are numbered across all platforms,
 * GPUs and accelerators first, so {@code opencl} (= {@code opencl:0}) is a GPU when there is one.
 */
public final class OpenClDevices {
    private static volatile List<ClDeviceInfo> devices;
    private static volatile String problem;

    private OpenClDevices() {}

    /** Every OpenCL device, in {@code opencl:N} order; empty when there is no OpenCL platform. */
    public static List<ClDeviceInfo> list() {
        if (devices == null) discover();
        return devices;
    }

    /**
     * Why {@link #list()} is empty (no OpenCL library, no platform, no device), with what to
     * install; null when there are devices.
     */
    public static String problem() {
        list();
        return problem;
    }

    /**
     * What {@code strand devices} prints for OpenCL: each platform and its devices, then which one
     * {@code --device opencl} is; or the line saying why there is none.
     */
    public static List<String> report() {
        List<ClDeviceInfo> all = list();
        if (all.isEmpty()) return List.of("OpenCL: none, " + problem());
        List<String> lines = new ArrayList<>();
        String platform = null;
        for (ClDeviceInfo d : all.stream().sorted(java.util.Comparator.comparing(ClDeviceInfo::platformName)
                .thenComparingInt(ClDeviceInfo::index)).toList()) {
            if (!d.platformName().equals(platform)) {
                platform = d.platformName();
                lines.add("OpenCL platform " + platform + " (" + d.platformVersion() + ")");
            }
            lines.add("  " + d.summary());
        }
        lines.add("--device opencl is " + all.getFirst().deviceName() + " (" + all.getFirst().type() + ")");
        return lines;
    }

    /** Device {@code opencl:index}, or a clear error naming the devices there are. */
    public static ClDeviceInfo get(int index) {
        List<ClDeviceInfo> all = list();
        if (all.isEmpty()) throw new IllegalArgumentException("no OpenCL device: " + problem);
        if (index < 0 || index >= all.size()) {
            StringBuilder known = new StringBuilder();
            for (ClDeviceInfo d : all) known.append(known.isEmpty() ? "" : ", ").append(d.deviceName()).append(" (").append(d.name()).append(')');
            throw new IllegalArgumentException("no OpenCL device " + index + "; there are " + all.size() + ": " + known
                    + " (./strand devices lists them)");
        }
        return all.get(index);
    }

    private static synchronized void discover() {
        if (devices != null) return;
        List<ClDeviceInfo> found = new ArrayList<>();
        String why = null;
        try {
            CL.setExceptionsEnabled(true);
            int[] count = new int[1];
            try {
                clGetPlatformIDs(0, null, count);
            } catch (CLException e) {
                count[0] = 0; // CL_PLATFORM_NOT_FOUND_KHR: the ICD loader found no driver
            }
            cl_platform_id[] platforms = new cl_platform_id[count[0]];
            if (count[0] > 0) clGetPlatformIDs(count[0], platforms, null);
            for (cl_platform_id p : platforms) {
                int[] n = new int[1];
                try {
                    clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
                } catch (CLException e) {
                    continue; // CL_DEVICE_NOT_FOUND
                }
                cl_device_id[] ids = new cl_device_id[n[0]];
                clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, n[0], ids, null);
                for (cl_device_id id : ids) found.add(describe(p, id));
            }
            if (platforms.length == 0) {
                why = "no OpenCL platform is installed (for a CPU: apt-get install pocl-opencl-icd; for an NVIDIA GPU: its driver's OpenCL ICD)";
            } else if (found.isEmpty()) {
                why = "the OpenCL platforms report no devices";
            }
        } catch (LinkageError e) {
            why = "the OpenCL library could not be loaded (" + e.getMessage() + "); apt-get install ocl-icd-libopencl1 pocl-opencl-icd";
        } catch (CLException e) {
            why = "OpenCL failed while listing devices: " + e.getMessage();
        }
        found.sort(Comparator.comparingInt(d -> d.type().equals("GPU") || d.type().equals("ACCELERATOR") ? 0 : 1));
        List<ClDeviceInfo> numbered = new ArrayList<>();
        for (ClDeviceInfo d : found) {
            numbered.add(new ClDeviceInfo(numbered.size(), d.platformName(), d.platformVersion(), d.name(), d.type(),
                    d.computeUnits(), d.globalMemBytes(), d.maxAllocBytes(), d.localMemBytes(), d.maxWorkGroupSize(),
                    d.platform(), d.id()));
        }
        problem = why;
        devices = List.copyOf(numbered);
    }

    private static ClDeviceInfo describe(cl_platform_id p, cl_device_id id) {
        long type = deviceLong(id, CL_DEVICE_TYPE);
        String kind = (type & CL_DEVICE_TYPE_GPU) != 0 ? "GPU" : (type & CL_DEVICE_TYPE_CPU) != 0 ? "CPU"
                : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "ACCELERATOR" : "OTHER";
        return new ClDeviceInfo(-1, platformString(p, CL_PLATFORM_NAME), platformString(p, CL_PLATFORM_VERSION),
                deviceString(id, CL_DEVICE_NAME), kind, (int) deviceInt(id, CL_DEVICE_MAX_COMPUTE_UNITS),
                deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE), deviceLong(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                deviceLong(id, CL_DEVICE_LOCAL_MEM_SIZE), deviceSize(id, CL_DEVICE_MAX_WORK_GROUP_SIZE), p, id);
    }

    static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, 8, Pointer.to(v), null);
        return v[0];
    }

    static long deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(d, param, 4, Pointer.to(v), null);
        return v[0] & 0xFFFFFFFFL;
    }

    /** A size_t parameter, whatever the host's pointer width. */
    static long deviceSize(cl_device_id d, int param) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        clGetDeviceInfo(d, param, org.jocl.Sizeof.size_t, Pointer.to(b), null);
        return org.jocl.Sizeof.size_t == 8 ? b.getLong(0) : b.getInt(0) & 0xFFFFFFFFL;
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8).trim();
    }
}

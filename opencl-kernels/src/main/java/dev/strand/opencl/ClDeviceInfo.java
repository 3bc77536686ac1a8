package dev.strand.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device as the driver describes it.
 *
 * @param index            N in {@code opencl:N}
 * @param platformName     the platform (driver) it belongs to, e.g. "NVIDIA CUDA" or "Portable Computing Language"
 * @param platformVersion  the platform's OpenCL version string
 * @param name             the device's name
 * @param type             GPU, CPU, ACCELERATOR or OTHER
 * @param computeUnits     parallel compute units (streaming multiprocessors on a GPU, cores on a CPU)
 * @param globalMemBytes   device memory
 * @param maxAllocBytes    the largest single buffer
 * @param localMemBytes    local (shared) memory per work group
 * @param maxWorkGroupSize most work items in one work group
 * @param platform         the JOCL platform handle
 * @param id               the JOCL device handle
 */
public record ClDeviceInfo(int index, String platformName, String platformVersion, String name, String type,
                           int computeUnits, long globalMemBytes, long maxAllocBytes, long localMemBytes,
                           long maxWorkGroupSize, cl_platform_id platform, cl_device_id id) {
    /** "opencl:N". */
    public String deviceName() {
        return "opencl:" + index;
    }

    /** One line for listings: name, type, compute units and memory. */
    public String summary() {
        return String.format("%s  %s  %s, %d compute units, %,d MiB memory (largest buffer %,d MiB), %d KiB local memory",
                deviceName(), name, type, computeUnits, globalMemBytes >> 20, maxAllocBytes >> 20, localMemBytes >> 10);
    }
}

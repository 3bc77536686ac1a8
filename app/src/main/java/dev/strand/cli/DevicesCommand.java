package dev.strand.cli;

import dev.strand.opencl.ClDeviceInfo;
import dev.strand.opencl.OpenClDevices;
import dev.strand.tensor.Device;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists the devices Strand can run kernels on: the CPU, then every OpenCL platform and its devices. */
@Command(name = "devices", description = "List the devices Strand can run on (use one with --device cpu|opencl|opencl:N).")
final class DevicesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println(Device.CPU + "  " + Runtime.getRuntime().availableProcessors() + " cores, "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB heap");
        List<ClDeviceInfo> devices = OpenClDevices.list();
        if (devices.isEmpty()) {
            System.out.println("OpenCL: none, " + OpenClDevices.problem());
            return 0;
        }
        String platform = null;
        for (ClDeviceInfo d : devices.stream().sorted(java.util.Comparator.comparing(ClDeviceInfo::platformName)
                .thenComparingInt(ClDeviceInfo::index)).toList()) {
            if (!d.platformName().equals(platform)) {
                platform = d.platformName();
                System.out.println("OpenCL platform " + platform + " (" + d.platformVersion() + ")");
            }
            System.out.println("  " + d.summary());
        }
        System.out.println("--device opencl is " + devices.getFirst().deviceName() + " (" + devices.getFirst().type() + ")");
        return 0;
    }
}

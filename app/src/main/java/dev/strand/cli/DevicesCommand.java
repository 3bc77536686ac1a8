package dev.strand.cli;

import dev.strand.tensor.Backends;
import dev.strand.tensor.Device;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists the devices Strand can run kernels on: the CPU, then every OpenCL platform and its devices. */
@Command(name = "devices", description = "List the devices Strand can run on (use one with --device cpu|opencl|opencl:N).")
final class DevicesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println(Device.CPU + "  " + Runtime.getRuntime().availableProcessors() + " cores, "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB heap");
        Backends.report().forEach(System.out::println);
        return 0;
    }
}

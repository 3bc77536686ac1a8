package dev.strand.cli;

import dev.strand.tensor.Device;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists the devices Strand can run kernels on. */
@Command(name = "devices", description = "List the devices Strand can run on.")
final class DevicesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println(Device.CPU + "\t" + Runtime.getRuntime().availableProcessors() + " cores, "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB heap");
        return 0;
    }
}

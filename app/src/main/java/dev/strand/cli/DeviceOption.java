package dev.strand.cli;

import dev.strand.tensor.Backends;
import dev.strand.tensor.Device;
import picocli.CommandLine.Option;

/**
 * The {@code --device cpu|opencl|opencl:N} option, as a picocli mixin for every command that
 * computes ({@code @Mixin DeviceOption device;} then {@code device.use()} first thing in
 * {@code call()}). {@code opencl} is {@code opencl:0}; {@code ./strand devices} lists the numbers.
 */
public final class DeviceOption {
    @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
            description = "where tensors live and kernels run: cpu, opencl or opencl:N (./strand devices lists them; default ${DEFAULT-VALUE})")
    String device = "cpu";

    /** The chosen device, checked: a clear error for an unknown kind or a device that is not there. */
    public Device device() {
        Device d = Device.parse(device.strip());
        if (!d.kind().equals("cpu") && !d.kind().equals("opencl")) {
            throw new IllegalArgumentException("unknown device '" + device + "': expected cpu, opencl or opencl:N");
        }
        Backends.of(d);   // opens it now, so a missing device fails before any work
        return d;
    }

    /**
     * Makes the chosen device the default, so that the model, its data and everything nn and
     * autograd create live there; returns it.
     */
    public Device use() {
        Device d = device();
        Backends.setDefaultDevice(d);
        return d;
    }
}

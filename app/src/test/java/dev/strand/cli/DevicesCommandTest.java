package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static dev.strand.cli.OpenClTests.requireOpenCl;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.opencl.OpenClDevices;
import dev.strand.tensor.Backends;
import dev.strand.tensor.Device;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code strand devices} and the {@code --device} mixin. */
class DevicesCommandTest {
    @Test
    void listsTheCpuAndEveryOpenClDeviceWithMemoryAndComputeUnits() {
        requireOpenCl();
        CliRun run = CliRun.of("devices");
        assertEquals(0, run.exit(), run.err());
        String out = run.out();
        assertTrue(out.startsWith("cpu  "), out);
        var first = OpenClDevices.get(0);
        assertTrue(out.contains("OpenCL platform " + first.platformName()), out);
        for (var d : OpenClDevices.list()) {
            assertTrue(out.contains("opencl:" + d.index() + "  " + d.name()) && out.contains(d.computeUnits() + " compute units")
                    && out.contains(String.format("%,d MiB memory", d.globalMemBytes() >> 20)), out);
        }
    }

    @CommandLine.Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @CommandLine.Mixin
        DeviceOption device;
        Device used;

        @Override
        public Integer call() {
            used = device.use();
            return 0;
        }
    }

    private static Device parseAndUse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.device.use();
    }

    @Test
    void deviceOptionSelectsTheDefaultDevice() {
        assertEquals(Device.CPU, parseAndUse());
        requireOpenCl();
        try {
            assertEquals(new Device("opencl", 0), parseAndUse("--device", "opencl"));
            assertEquals(new Device("opencl", 0), Backends.defaultDevice());
            assertEquals(new Device("opencl", 0), dev.strand.tensor.Tensor.zeros(2, 2).device());
            assertEquals(Device.CPU, parseAndUse("--device", "cpu"));
        } finally {
            Backends.setDefaultDevice(Device.CPU);
        }
    }

    @Test
    void aBadDeviceIsOneClearLine() {
        var unknown = assertThrows(IllegalArgumentException.class, () -> parseAndUse("--device", "tpu"));
        assertEquals("unknown device 'tpu': expected cpu, opencl or opencl:N", unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parseAndUse("--device", "opencl:x"));
        var missing = assertThrows(IllegalArgumentException.class, () -> parseAndUse("--device", "opencl:99"));
        assertTrue(missing.getMessage().startsWith("no OpenCL device"), missing.getMessage());
        assertEquals(Device.CPU, Backends.defaultDevice(), "a failed choice leaves the default alone");
    }
}

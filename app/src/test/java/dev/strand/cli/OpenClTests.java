package dev.strand.cli;

import dev.strand.opencl.OpenClDevices;
import org.junit.jupiter.api.Assumptions;

/** The rule for app tests that need an OpenCL device (PoCL in CI). */
final class OpenClTests {
    private OpenClTests() {}

    /** Stops a test that needs OpenCL: fails in CI (CI=true), is skipped with the reason elsewhere. */
    static void requireOpenCl() {
        if (!OpenClDevices.list().isEmpty()) return;
        String why = "no OpenCL device: " + OpenClDevices.problem();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new AssertionError(why);
        Assumptions.abort(why);
    }
}

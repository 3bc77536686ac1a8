package dev.strand.cli;

import dev.strand.tensor.cpu.Parallel;
import dev.strand.tensor.cpu.Simd;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Prints what this Strand runs on: JDK, SIMD width, kernel threads. */
@Command(name = "info", description = "Show the JDK, SIMD width and kernel threads Strand uses.")
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("Strand 0.1.0");
        System.out.println("java:    " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        System.out.println("simd:    " + (Simd.ENABLED ? Simd.SPECIES.length() + " float lanes (" + Simd.SPECIES.vectorBitSize() + "-bit vectors)"
                : "off (scalar kernels)"));
        System.out.println("threads: " + Parallel.threads() + " (set with -Dstrand.threads=N via STRAND_JAVA_OPTS)");
        return 0;
    }
}

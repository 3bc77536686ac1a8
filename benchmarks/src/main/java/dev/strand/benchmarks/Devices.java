package dev.strand.benchmarks;

import dev.strand.tensor.Backends;

/**
 * Lists the OpenCL platforms and devices as {@code strand devices} does, for machines that carry
 * only benchmarks.jar (the GPU check, benchmarks/gpu/check.sh).
 */
public final class Devices {
    private Devices() {}

    public static void main(String[] args) {
        Backends.report().forEach(System.out::println);
    }
}

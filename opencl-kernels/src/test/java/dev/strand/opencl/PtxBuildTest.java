package dev.strand.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kernel file compiles as OpenCL C 1.2 for NVIDIA's target (clang's nvptx64-nvidia-nvcl) with
 * the options the backend builds it with, without warnings, and no kernel keeps an array in
 * private memory: on a GPU that is slow off-chip memory, and the register-blocked matmul and the
 * fused attention depend on their accumulators staying in registers. PoCL runs the kernels on
 * the CPU and accepts both; this catches on every machine what would otherwise first show on a
 * GPU. It runs the clang that PoCL depends on (Debian's clang-15).
 */
class PtxBuildTest {
    private static final Path KERNELS = Path.of("src/main/resources/dev/strand/opencl/kernels");

    @Test
    void everyKernelBuildsForNvidiaWithItsArraysInRegisters(@TempDir Path dir) throws Exception {
        String clang = clang();
        for (String[] build : builds()) {
            String file = build[0], options = (OpenClBackend.BUILD_OPTIONS + " " + build[1]).strip(), what = file + " " + build[1];
            Path source = dir.resolve(file), ptx = dir.resolve(file + ".ptx");
            Files.writeString(source, Programs.source(file, Programs.resource(file)));
            List<String> command = new ArrayList<>(List.of(clang, "-x", "cl", "-cl-std=CL1.2", "-target", "nvptx64-nvidia-nvcl",
                    "-Xclang", "-finclude-default-header", "-O2", "-Werror", "-S", "-o", ptx.toString()));
            command.addAll(List.of(options.split(" ")));
            command.add(source.toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), what + " does not build for NVIDIA's target:\n" + log);
            String depots = Files.readAllLines(ptx).stream().filter(l -> l.contains("__local_depot") && l.contains(".local"))
                    .collect(Collectors.joining("\n"));
            assertTrue(depots.isEmpty(), what + " keeps an array in private memory (an array indexed by a loop the compiler "
                    + "does not unroll):\n" + depots);
        }
    }

    /** Each kernel file with the extra options it is built with: matmul per tiling, attention per head dim, block-sparse per head dim and block size. */
    private static List<String[]> builds() throws IOException {
        List<String[]> builds = new ArrayList<>();
        try (Stream<Path> files = Files.list(KERNELS)) {
            for (String file : files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".cl") && !f.equals("common.cl")).sorted().toList()) {
                switch (file) {
                    case "matmul.cl" -> {
                        for (MatmulTiling t : new MatmulTiling[] {MatmulTiling.DEFAULT, MatmulTiling.SMALL}) builds.add(new String[] {file, t.buildOptions()});
                    }
                    case "attention.cl" -> {
                        for (int hd : new int[] {16, 32, 64, OpenClBackend.MAX_HEAD_DIM}) builds.add(new String[] {file, "-DHEAD_DIM=" + hd});
                    }
                    case "blocksparse.cl" -> {
                        // Per head dim and rows per work group: blocks of 2, 13 and 64 rows take groups of 2, 13 and 32.
                        for (int hd : new int[] {8, 13, 64, OpenClBackend.MAX_HEAD_DIM}) {
                            for (int bs : new int[] {2, 13, 64}) builds.add(new String[] {file, BlockSparseLaunches.options(hd, bs)});
                        }
                    }
                    default -> builds.add(new String[] {file, ""});
                }
            }
        }
        assertTrue(builds.size() >= 8, "kernel files in " + KERNELS.toAbsolutePath() + ": " + builds.size());
        return builds;
    }

    /** clang-15 or clang, or the test stops here (failing in CI, where PoCL brings clang-15). */
    private static String clang() {
        for (String name : new String[] {"clang-15", "clang"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
            }
        }
        String why = "checking the kernels for NVIDIA's target needs clang (Debian's clang-15, which pocl-opencl-icd installs), and none is on PATH";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why);
        Assumptions.abort(why);
        return null;
    }
}

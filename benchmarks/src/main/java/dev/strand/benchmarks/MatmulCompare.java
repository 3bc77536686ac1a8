package dev.strand.benchmarks;

import dev.strand.tensor.Backends;
import dev.strand.tensor.Device;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import dev.strand.tensor.cpu.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times Strand's float32 matmul the same way {@code benchmarks/compare_matmul.py} times PyTorch's,
 * and prints one machine-readable line per (size, threads):
 *
 * <pre>strand matmul n=2048 threads=2 median_ms=123.456 gflops=139.16 runs=10</pre>
 *
 * <p>Method (identical in the Python twin): operands are drawn once per size; each (size, threads)
 * first warms up for at least {@code --warmup} runs and {@code --warmup-seconds} seconds (cut
 * short at {@code --max-warmup-seconds} once one run is done, for very slow kernels), then
 * times {@code --runs} products one by one with {@link System#nanoTime} (stopping early, after at
 * least 3, once {@code --max-seconds} have been spent measuring) and reports the median.
 * GFLOPS = 2·m·n·k / median. A size is {@code n} (square [n, n] · [n, n]) or {@code MxKxN}
 * ([M, K] · [K, N]). Before timing, a few entries of the product are checked against a
 * double-precision dot product, so a fast but wrong kernel fails loudly (exit code 3).
 *
 * <p>With {@code --device opencl[:N]} the operands live on that device and each timed product
 * ends with a one-element download, which waits for the device to finish; the line then ends
 * with {@code device=opencl:N tiling=MxNxK/WMxWN} (threads only size the host's pool there; the
 * tiling is the device's, or {@code -Dstrand.opencl.matmul}'s).
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar
 * dev.strand.benchmarks.MatmulCompare [--sizes "256 512 1024 2048"] [--threads "1 2"] [--device cpu]
 * [--runs 10] [--warmup 3] [--warmup-seconds 1] [--max-warmup-seconds 5] [--max-seconds 10]}. Bare numbers are sizes.
 */
public final class MatmulCompare {
    private MatmulCompare() {}

    public static void main(String[] args) {
        List<String> sizes = new ArrayList<>();
        List<Integer> threads = new ArrayList<>();
        int runs = 10, warmup = 3;
        double warmupSeconds = 1.0, maxWarmupSeconds = 5.0, maxSeconds = 10.0;
        Device device = Device.CPU;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--sizes" -> sizes.addAll(words(value(args, ++i, arg)));
                case "--threads" -> {
                    for (String w : words(value(args, ++i, arg))) threads.add(Integer.parseInt(w));
                }
                case "--device" -> device = Device.parse(value(args, ++i, arg));
                case "--runs" -> runs = Integer.parseInt(value(args, ++i, arg));
                case "--warmup" -> warmup = Integer.parseInt(value(args, ++i, arg));
                case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(value(args, ++i, arg));
                case "--max-warmup-seconds" -> maxWarmupSeconds = Double.parseDouble(value(args, ++i, arg));
                case "--max-seconds" -> maxSeconds = Double.parseDouble(value(args, ++i, arg));
                case "-h", "--help" -> {
                    System.out.println("usage: MatmulCompare [--sizes \"256 512 1024 2048\"] [--threads \"1 2\"] [--device cpu|opencl:N] "
                            + "[--runs 10] [--warmup 3] [--warmup-seconds 1] [--max-warmup-seconds 5] [--max-seconds 10] [SIZE...]");
                    System.out.println("  SIZE is n (square) or MxKxN");
                    return;
                }
                default -> {
                    if (arg.startsWith("-")) usage("unknown option " + arg);
                    sizes.add(arg);
                }
            }
        }
        if (sizes.isEmpty()) sizes.addAll(List.of("256", "512", "1024", "2048"));
        if (threads.isEmpty()) threads.addAll(List.of(1, 2));
        if (runs < 1) usage("--runs must be >= 1");
        Backends.setDefaultDevice(device);   // operands are made there
        boolean onDevice = !device.equals(Device.CPU);
        String deviceField = !onDevice ? ""
                : " device=" + device + (Backends.of(device).settings().isEmpty() ? "" : " " + Backends.of(device).settings());

        for (String size : sizes) {
            int[] mkn = parseSize(size);
            int m = mkn[0], k = mkn[1], n = mkn[2];
            Generator gen = new Generator(42);
            Tensor a = Tensor.randn(gen, m, k);
            Tensor b = Tensor.randn(gen, k, n);
            double flop = 2.0 * m * n * k;
            for (int t : threads) {
                Parallel.setThreads(t);
                check(a, b, a.matmul(b), size, t);
                // Warm-up: JIT, thread pool start-up, page faults of the result buffers.
                long warmStart = System.nanoTime();
                for (int i = 0; ; i++) {
                    double elapsed = (System.nanoTime() - warmStart) / 1e9;
                    if (i >= warmup && elapsed >= warmupSeconds) break;
                    if (i >= 1 && elapsed >= maxWarmupSeconds) break; // a very slow kernel
                    if (i >= 10_000) break;
                    product(a, b, onDevice);   // waits, or the device would still be busy when timing starts
                }
                System.gc();
                double[] ms = new double[runs];
                int done = 0;
                long measureStart = System.nanoTime();
                while (done < runs) {
                    long t0 = System.nanoTime();
                    Tensor c = product(a, b, onDevice);
                    long t1 = System.nanoTime();
                    blackhole ^= Float.floatToRawIntBits(c.get(0, 0));
                    ms[done++] = (t1 - t0) / 1e6;
                    if (done >= 3 && (System.nanoTime() - measureStart) / 1e9 >= maxSeconds) break;
                }
                double median = median(Arrays.copyOf(ms, done));
                System.out.println(String.format(Locale.ROOT,
                        "strand matmul n=%s threads=%d median_ms=%.3f gflops=%.2f runs=%d%s",
                        size, t, median, flop / (median * 1e6), done, deviceField));
                System.out.flush();
            }
        }
        if (blackhole == 42) System.err.print("");
    }

    /** a·b, finished: a device's product is waited for through a one-element download. */
    private static Tensor product(Tensor a, Tensor b, boolean onDevice) {
        Tensor c = a.matmul(b);
        if (onDevice) blackhole ^= Float.floatToRawIntBits(c.get(0, 0));
        return c;
    }

    /** Keeps the timed results alive so the JIT cannot drop the products. */
    private static int blackhole;

    private static void check(Tensor a, Tensor b, Tensor c, String size, int threads) {
        int m = a.size(0), k = a.size(1), n = b.size(1);
        float[] av = a.toFloatArray(), bv = b.toFloatArray(), cv = c.toFloatArray();
        if (c.size(0) != m || c.size(1) != n) fail(size, threads, "result shape " + Arrays.toString(c.shape()));
        Generator pick = new Generator(7);
        for (int s = 0; s < 32; s++) {
            int i = s == 0 ? 0 : s == 1 ? m - 1 : pick.nextInt(m);
            int j = s == 0 ? 0 : s == 1 ? n - 1 : pick.nextInt(n);
            double ref = 0, mag = 0;
            for (int p = 0; p < k; p++) {
                double prod = (double) av[i * k + p] * bv[p * n + j];
                ref += prod;
                mag += Math.abs(prod);
            }
            double got = cv[i * n + j];
            if (!(Math.abs(got - ref) <= 1e-5 * mag + 1e-4)) {
                fail(size, threads, String.format(Locale.ROOT, "C[%d,%d] = %g, expected %g", i, j, got, ref));
            }
        }
    }

    private static void fail(String size, int threads, String what) {
        System.out.println("strand matmul n=" + size + " threads=" + threads + " error=wrong_result");
        System.err.println("MatmulCompare: wrong matmul result for n=" + size + " threads=" + threads + ": " + what);
        System.exit(3);
    }

    static int[] parseSize(String size) {
        String[] parts = size.toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 1) {
                int n = Integer.parseInt(parts[0]);
                if (n > 0) return new int[] {n, n, n};
            } else if (parts.length == 3) {
                int[] mkn = {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
                if (mkn[0] > 0 && mkn[1] > 0 && mkn[2] > 0) return mkn;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        usage("bad size '" + size + "': want n or MxKxN");
        return null;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
    }

    private static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        for (String w : s.trim().split("[\\s,]+")) if (!w.isEmpty()) out.add(w);
        return out;
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) usage(opt + " needs a value");
        return args[i];
    }

    private static void usage(String why) {
        System.err.println("MatmulCompare: " + why + " (--help for usage)");
        System.exit(2);
    }
}

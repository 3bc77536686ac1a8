package dev.strand.opencl;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How matmul.cl cuts C: each work group computes a {@code tileM x tileN} block, staging
 * {@code depth}-deep slices of A and B through local memory, and each of its
 * {@code (tileM / perItemM) x (tileN / perItemN)} work items keeps a {@code perItemM x perItemN}
 * block of accumulators in registers. Written {@code MxNxK/WMxWN}, e.g. {@code 128x128x16/8x8}.
 *
 * <p>Bigger register blocks do more multiply-adds per local-memory read, which is what a GPU's
 * SGEMM is bound by. PoCL on a CPU runs {@link #DEFAULT} faster too: on 2 Xeon cores at n = 512,
 * three alternating runs of {@code MatmulCompare --device opencl:0} under each gave medians of 9.0
 * against 7.4 GFLOPS for {@link #SMALL}, ahead in every pair. {@code -Dstrand.opencl.matmul}
 * overrides the choice, so that a GPU can be measured under several without rebuilding.
 */
public record MatmulTiling(int tileM, int tileN, int depth, int perItemM, int perItemN) {
    /** 256 work items, 64 accumulators each, 16.5 KiB of local memory. */
    public static final MatmulTiling DEFAULT = new MatmulTiling(128, 128, 16, 8, 8);
    /** 256 work items, 16 accumulators each, 8.3 KiB of local memory: for devices with little. */
    public static final MatmulTiling SMALL = new MatmulTiling(64, 64, 16, 4, 4);

    private static final Pattern FORM = Pattern.compile("(\\d+)x(\\d+)x(\\d+)/(\\d+)x(\\d+)");

    public MatmulTiling {
        if (tileM <= 0 || tileN <= 0 || depth <= 0 || perItemM <= 0 || perItemN <= 0 || tileM % perItemM != 0 || tileN % perItemN != 0) {
            throw new IllegalArgumentException("matmul tiling " + tileM + "x" + tileN + "x" + depth + "/" + perItemM + "x" + perItemN
                    + ": sizes must be positive and each tile side a multiple of its register block");
        }
    }

    /** Parses {@code MxNxK/WMxWN}. */
    public static MatmulTiling parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) throw new IllegalArgumentException("matmul tiling must read MxNxK/WMxWN (e.g. 128x128x16/8x8), got '" + text + "'");
        return new MatmulTiling(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)));
    }

    /** {@code -Dstrand.opencl.matmul} when set, else {@link #DEFAULT} where it fits and {@link #SMALL} where not; checked against the device. */
    static MatmulTiling forDevice(ClDeviceInfo info) {
        String property = System.getProperty("strand.opencl.matmul");
        MatmulTiling t = property != null ? parse(property) : DEFAULT.localBytes() <= info.localMemBytes() ? DEFAULT : SMALL;
        t.requireFits(info);
        return t;
    }

    /** Work items per group along n (dim 0 of the launch) and m (dim 1). */
    long[] localSize() {
        return new long[] {tileN / perItemN, tileM / perItemM, 1};
    }

    /** Local memory of the two staged slices, with matmul.cl's one float of padding per row. */
    long localBytes() {
        return (long) depth * (tileM + 1 + tileN + 1) * Float.BYTES;
    }

    /** Fails, naming the limit, when {@code info}'s device cannot launch this tiling. */
    void requireFits(ClDeviceInfo info) {
        long items = (long) (tileM / perItemM) * (tileN / perItemN);
        if (items > info.maxWorkGroupSize()) {
            throw new IllegalArgumentException("matmul tiling " + this + " needs " + items + " work items per group; "
                    + info.deviceName() + " takes at most " + info.maxWorkGroupSize());
        }
        if (localBytes() > info.localMemBytes()) {
            throw new IllegalArgumentException("matmul tiling " + this + " needs " + localBytes() + " bytes of local memory; "
                    + info.deviceName() + " has " + info.localMemBytes());
        }
    }

    /** The -D sizes matmul.cl is built with. */
    String buildOptions() {
        return "-DTILE_M=" + tileM + " -DTILE_N=" + tileN + " -DTILE_K=" + depth + " -DWPT_M=" + perItemM + " -DWPT_N=" + perItemN;
    }

    @Override
    public String toString() {
        return tileM + "x" + tileN + "x" + depth + "/" + perItemM + "x" + perItemN;
    }
}

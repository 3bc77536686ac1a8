package dev.strand.opencl;

import static dev.strand.opencl.TestDevice.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.BlockPattern;
import dev.strand.tensor.Device;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * blocksparse.cl against the CPU backend's block-sparse attention, forward (out and log-sum-exp)
 * and backward (dq, dk, dv): BigBird-like random patterns with repeated blocks, padding that
 * leaves some rows nothing to attend to, ALiBi, head dims 8, 13 and 64, blocks of 2 to 64 rows
 * (including blocks that take two work groups), T up to 512; strided inputs; the host default
 * past the kernel's head-dim limit; the pattern uploaded once.
 */
class BlockSparseAttentionParityTest {
    private static final double RTOL = 1e-4, ATOL = 2e-5;
    private static Device dev;

    @BeforeAll
    static void device() {
        dev = TestDevice.require();
    }

    /**
     * A BigBird-like pattern: each row reads its window (i − 1, i, i + 1), global block 0, and one
     * to three random blocks, in random order, some of them again; the last row of head 0 reads
     * only the last block (all padding in the last batch row); head 1's first row reads block 0 three times.
     */
    static BlockPattern bigBirdPattern(int blockSize, int heads, int blocks, long seed) {
        Random r = new Random(seed);
        int[][][] rows = new int[heads][blocks][];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < blocks; i++) {
                int[] row = new int[5 + r.nextInt(4)];
                row[0] = 0;
                row[1] = i;
                row[2] = Math.max(i - 1, 0);
                row[3] = Math.min(i + 1, blocks - 1);
                for (int j = 4; j < row.length; j++) row[j] = r.nextBoolean() ? r.nextInt(blocks) : row[r.nextInt(j)];   // random, or a repeat
                for (int j = row.length - 1; j > 0; j--) {
                    int o = r.nextInt(j + 1), x = row[j];
                    row[j] = row[o];
                    row[o] = x;
                }
                rows[h][i] = row;
            }
        }
        rows[0][blocks - 1] = new int[] {blocks - 1};
        if (heads > 1) rows[1][0] = new int[] {0, 0, 0};
        return BlockPattern.of(blockSize, rows);
    }

    /** Padding [B, T]: the last batch row has its last block and a half (at least one more position) padded; other rows none. */
    static Tensor padding(int batch, int t, int blockSize) {
        float[] p = new float[batch * t];
        for (int s = Math.max(t - blockSize - Math.max(blockSize / 2, 1), 0); s < t; s++) p[(batch - 1) * t + s] = 1;
        return Tensor.of(p, batch, t);
    }

    static float[] slopes(int heads) {
        float[] s = new float[heads];
        for (int h = 0; h < heads; h++) s[h] = (float) Math.pow(2, -(h + 1));
        return s;
    }

    private static Tensor[] run(Device device, Tensor[] x, BlockPattern pattern, Tensor padding, float[] slopes, float scale) {
        return run(device, x, false, pattern, padding, slopes, scale);
    }

    /** {out, lse, dq, dk, dv} on {@code device}, from CPU inputs {q, k, v, gOut} ([B, T, H, hd] if {@code transposed}, moved, then viewed as [B, H, T, hd]). */
    private static Tensor[] run(Device device, Tensor[] x, boolean transposed, BlockPattern pattern, Tensor padding, float[] slopes, float scale) {
        Tensor[] d = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i].to(device);
            if (transposed) d[i] = d[i].transpose(1, 2);
        }
        Tensor pad = padding == null ? null : padding.to(device);
        Tensor[] f = Tensor.blockSparseAttention(d[0], d[1], d[2], pattern, pad, slopes, scale);
        Tensor[] g = Tensor.blockSparseAttentionBackward(d[0], d[1], d[2], pattern, pad, slopes, scale, f[0], f[1], d[3]);
        for (Tensor t : f) assertEquals(device, t.device(), "forward result device");
        for (Tensor t : g) assertEquals(device, t.device(), "gradient device");
        return new Tensor[] {f[0], f[1], g[0], g[1], g[2]};
    }

    private static Tensor[] inputs(int b, int h, int t, int hd, long seed) {
        Generator g = new Generator(seed);
        Tensor[] x = new Tensor[4];
        for (int i = 0; i < 4; i++) x[i] = Tensor.randn(g, b, h, t, hd);
        return x;
    }

    private static void compare(String what, Tensor[] x, BlockPattern pattern, Tensor padding, float[] slopes, float scale) {
        Tensor[] cpu = run(Device.CPU, x, pattern, padding, slopes, scale), cl = run(dev, x, pattern, padding, slopes, scale);
        String[] names = {"out", "log-sum-exp", "dq", "dk", "dv"};
        for (int i = 0; i < names.length; i++) assertClose(cpu[i], cl[i], RTOL, ATOL, what + ": " + names[i]);
    }

    private static void compare(int b, int h, int blockSize, int blocks, int hd, boolean pad, boolean alibi) {
        int t = blockSize * blocks;
        BlockPattern pattern = bigBirdPattern(blockSize, h, blocks, blockSize * 31L + hd);
        String what = "B " + b + " H " + h + " block " + blockSize + " × " + blocks + " hd " + hd + (pad ? " padded" : "") + (alibi ? " ALiBi" : "");
        compare(what, inputs(b, h, t, hd, t + hd), pattern, pad ? padding(b, t, blockSize) : null, alibi ? slopes(h) : null,
                (float) (1 / Math.sqrt(hd)));
    }

    @Test
    void matchesTheCpuOverHeadDimsAndBlockSizes() {
        int[][] sizes = {{2, 32}, {16, 16}, {64, 8}};   // block size, blocks: T 64, 256, 512
        for (int hd : new int[] {8, 13, 64}) {
            for (int[] s : sizes) compare(2, 2, s[0], s[1], hd, true, true);
        }
    }

    @Test
    void matchesTheCpuWithAndWithoutPaddingAndAlibi() {
        compare(1, 3, 16, 6, 8, false, false);
        compare(2, 3, 16, 6, 8, true, false);
        compare(2, 3, 16, 6, 8, false, true);
        compare(2, 2, 2, 256, 8, true, true);         // T 512 in blocks of 2
        compare(2, 2, 48, 3, 13, true, true);         // a block of 48 rows: two work groups of 24
        compare(1, 2, 100, 2, 13, true, true);        // four groups of 25
        compare(1, 2, 5, 4, 128, true, true);         // the largest head dim the kernel takes
    }

    @Test
    void aRowWithOnlyPaddingIsZeroWithNoGradient() {
        BlockPattern pattern = BlockPattern.of(2, new int[][][] {{{1}, {0, 1}}});
        Tensor[] x = inputs(1, 1, 4, 8, 9);
        Tensor padding = Tensor.of(new float[] {0, 0, 1, 1}, 1, 4);
        Tensor[] cl = run(dev, x, pattern, padding, null, 1f);
        assertArrayEquals(new float[16], Arrays.copyOf(cl[0].toFloatArray(), 16), "query block 0 reads only padding");
        float[] lse = cl[1].toFloatArray();
        assertEquals(Float.NEGATIVE_INFINITY, lse[0]);
        assertEquals(Float.NEGATIVE_INFINITY, lse[1]);
        for (int i = 2; i < 5; i++) {
            for (float g : cl[i].toFloatArray()) assertTrue(Float.isFinite(g), "gradient " + i + ": " + Arrays.toString(cl[i].toFloatArray()));
        }
        compare("padding-only row", x, pattern, padding, null, 1f);
    }

    @Test
    void stridedInputsIntPaddingAndTheHostDefaultPastTheHeadDimLimit() {
        int b = 2, h = 2, bs = 4, nb = 5, t = bs * nb, hd = 8;
        BlockPattern pattern = bigBirdPattern(bs, h, nb, 5);
        Generator g = new Generator(11);
        Tensor[] x = new Tensor[4];
        for (int i = 0; i < 4; i++) x[i] = Tensor.randn(g, b, t, h, hd);                  // [B, T, H, hd]
        Tensor padding = padding(b, t, bs);
        Tensor[] cpu = run(Device.CPU, x, true, pattern, padding, slopes(h), 0.3f), cl = run(dev, x, true, pattern, padding.toInt(), slopes(h), 0.3f);
        for (int i = 0; i < 5; i++) assertClose(cpu[i], cl[i], RTOL, ATOL, "strided inputs, INT32 padding: result " + i);

        int wide = OpenClBackend.MAX_HEAD_DIM + 2;
        compare("head dim " + wide + ": the host default", inputs(1, h, t, wide, 3), pattern, padding.narrow(0, 0, 1), slopes(h), 0.1f);
    }

    @Test
    void thePatternAndSlopesAreUploadedOnce() {
        OpenClBackend backend = TestDevice.backend();
        int h = 2, bs = 4, nb = 6, t = bs * nb;
        BlockPattern pattern = bigBirdPattern(bs, h, nb, 7);
        Tensor[] x = inputs(1, h, t, 8, 5);
        for (int i = 0; i < 4; i++) x[i] = x[i].to(dev);
        Tensor padding = padding(1, t, bs).to(dev);
        Tensor[] f = Tensor.blockSparseAttention(x[0], x[1], x[2], pattern, padding, slopes(h), 0.5f);
        Tensor.blockSparseAttentionBackward(x[0], x[1], x[2], pattern, padding, slopes(h), 0.5f, f[0], f[1], x[3]);
        long before = backend.transfers().writes();
        for (int step = 0; step < 3; step++) {
            f = Tensor.blockSparseAttention(x[0], x[1], x[2], pattern, padding, slopes(h), 0.5f);   // equal slopes in a new array
            Tensor.blockSparseAttentionBackward(x[0], x[1], x[2], pattern, padding, slopes(h), 0.5f, f[0], f[1], x[3]);
        }
        assertEquals(before, backend.transfers().writes(), "host-to-device writes of a pattern and slopes already on the device");
    }

    @Test
    void theTransposedPatternCountsEachReadingQueryBlock() {
        BlockPattern pattern = bigBirdPattern(3, 3, 9, 13);
        int[][][] m = pattern.multiplicity();
        int[][] cols = BlockPatternCache.transpose(pattern);
        int[][] rows = BlockPatternCache.rowsOf(pattern);
        for (int h = 0; h < 3; h++) {
            for (int j = 0; j < 9; j++) {
                int[] expected = new int[9];
                for (int i = 0; i < 9; i++) expected[i] = m[h][i][j];
                int[] actual = new int[9];
                int previous = -1;
                for (int e = cols[0][h * 9 + j]; e < cols[0][h * 9 + j + 1]; e++) {
                    int i = cols[1][2 * e];
                    assertTrue(i > previous, "query blocks in increasing order");
                    previous = i;
                    actual[i] = cols[1][2 * e + 1];
                }
                assertArrayEquals(expected, actual, "column (" + h + ", " + j + ")");
            }
            for (int i = 0; i < 9; i++) {
                assertArrayEquals(pattern.keys(h, i), Arrays.copyOfRange(rows[1], rows[0][h * 9 + i], rows[0][h * 9 + i + 1]), "row (" + h + ", " + i + ")");
            }
        }
    }
}

package dev.strand.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GemmTest {
    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = Parallel.threads();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** One batched problem laid out in flat arrays, with the layout chosen by the test. */
    private static final class Case {
        final int batch, m, n, k, ars, acs, brs, bcs, ldc;
        final int[] ao, bo, co;
        final float[] a, b;
        final int cSize;

        /** Row-major or transposed A/B, each matrix after a gap of {@code gap} floats; C rows padded by {@code pad}. */
        Case(long seed, int batch, int m, int n, int k, boolean aT, boolean bT, int gap, int pad) {
            this(seed, batch, m, n, k, aT ? 1 : k, aT ? m : 1, bT ? 1 : n, bT ? k : 1, gap, pad);
        }

        Case(long seed, int batch, int m, int n, int k, int ars, int acs, int brs, int bcs, int gap, int pad) {
            this.batch = batch; this.m = m; this.n = n; this.k = k;
            this.ars = ars; this.acs = acs; this.brs = brs; this.bcs = bcs; this.ldc = n + pad;
            int aSpan = span(m, k, ars, acs), bSpan = span(k, n, brs, bcs), cSpan = m * ldc;
            ao = new int[batch]; bo = new int[batch]; co = new int[batch];
            for (int t = 0; t < batch; t++) {
                ao[t] = gap + t * (aSpan + gap);
                bo[t] = 2 * gap + t * (bSpan + gap);
                co[t] = gap + t * (cSpan + gap);
            }
            Random r = new Random(seed);
            a = new float[gap + batch * (aSpan + gap)];
            b = new float[2 * gap + batch * (bSpan + gap)];
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() * 2 - 1;
            for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() * 2 - 1;
            cSize = gap + batch * (cSpan + gap);
        }

        private static int span(int rows, int cols, int rs, int cs) {
            return rows == 0 || cols == 0 ? 0 : (rows - 1) * rs + (cols - 1) * cs + 1;
        }

        /** C filled with NaN first: every element the kernel is supposed to write must be overwritten. */
        float[] run(boolean scalar) {
            float[] c = new float[cSize];
            Arrays.fill(c, Float.NaN);
            if (scalar) Gemm.multiplyScalar(batch, m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc);
            else Gemm.multiply(batch, m, n, k, a, ao, ars, acs, b, bo, brs, bcs, c, co, ldc);
            return c;
        }

        /** Asserts c matches the scalar twin within 1e-5 of Σ|a||b| per element, and that only C was written. */
        void check(float[] c) {
            float[] ref = run(true);
            for (int t = 0; t < batch; t++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double mag = 0;
                        for (int p = 0; p < k; p++)
                            mag += Math.abs(a[ao[t] + i * ars + p * acs] * b[bo[t] + p * brs + j * bcs]);
                        int at = co[t] + i * ldc + j, bt = t, row = i, col = j;
                        float want = ref[at], got = c[at];
                        assertTrue(Math.abs(got - want) <= 1e-5 * mag,
                                () -> String.format("%s: C[%d][%d][%d] = %s, want %s", this, bt, row, col, got, want));
                        c[at] = ref[at]; // so the final comparison below checks only the untouched gaps
                    }
                }
            }
            assertArrayEquals(ref, c, 0f, () -> this + ": wrote outside C (gaps and row padding must stay NaN)");
        }

        @Override
        public String toString() {
            return String.format("batch=%d m=%d n=%d k=%d A(%d,%d) B(%d,%d) ldc=%d", batch, m, n, k, ars, acs, brs, bcs, ldc);
        }
    }

    @Test
    void vectorPathIsTheOneUnderTest() {
        // Otherwise every comparison below would pit the scalar twin against itself.
        if (Boolean.parseBoolean(System.getProperty("strand.simd", "true")))
            assertTrue(Gemm.SIMD, "run tests with --add-modules jdk.incubator.vector");
    }

    @Test
    void scalarTwinComputesAProduct() {
        float[] a = {1, 2, 3, 4, 5, 6};          // 2x3
        float[] b = {7, 8, 9, 10, 11, 12};       // 3x2
        float[] c = new float[4];
        Gemm.multiplyScalar(1, 2, 2, 3, a, new int[] {0}, 3, 1, b, new int[] {0}, 2, 1, c, new int[] {0}, 2);
        assertArrayEquals(new float[] {58, 64, 139, 154}, c);
        Arrays.fill(c, -1);
        Gemm.multiply(1, 2, 2, 3, a, new int[] {0}, 3, 1, b, new int[] {0}, 2, 1, c, new int[] {0}, 2);
        assertArrayEquals(new float[] {58, 64, 139, 154}, c);
    }

    @Test
    void awkwardShapesMatchScalar() {
        int[] sizes = {1, 7, 17, 33, 129};
        long seed = 1;
        for (int m : sizes)
            for (int n : sizes)
                for (int k : sizes) {
                    Case cs = new Case(seed++, 1, m, n, k, false, false, 0, 0);
                    cs.check(cs.run(false));
                }
    }

    @Test
    void narrowAndWideTilesMatchScalar() {
        // With 16 vector registers C narrower than a few vectors takes the 6-row tile, wider C the
        // 4-row × 3-vector one: attention's shapes (16 and 64 columns, 302 rows) and their neighbours.
        int[][] shapes = {{302, 16, 302}, {302, 302, 16}, {302, 64, 302}, {97, 24, 40}, {97, 32, 40}, {97, 48, 40}, {97, 72, 40}};
        for (int[] s : shapes)
            for (boolean aT : new boolean[] {false, true}) {
                Case cs = new Case(s[0] + 7L * s[1], 1, s[0], s[1], s[2], aT, false, 1, 2);
                cs.check(cs.run(false));
            }
    }

    @Test
    void largerShapesCrossEveryBlockBoundary() {
        // k > KC (accumulating K blocks), m > MC (several row blocks), n > NC (several column blocks).
        int[][] shapes = {{300, 260, 70}, {257, 65, 513}, {1100, 40, 300}, {30, 1100, 20}, {64, 64, 256}};
        for (int[] s : shapes) {
            Case cs = new Case(s[0] * 31L + s[2], 1, s[0], s[1], s[2], false, false, 3, 5);
            cs.check(cs.run(false));
        }
    }

    @Test
    void transposedViewsAndGenericStrides() {
        int[][] shapes = {{33, 17, 129}, {129, 33, 7}, {300, 260, 70}, {1, 129, 33}, {17, 1, 300}};
        long seed = 100;
        for (int[] s : shapes) {
            for (int layout = 0; layout < 3; layout++) {
                Case cs = new Case(seed++, 2, s[0], s[1], s[2], layout != 1, layout != 0, 7, 3);
                cs.check(cs.run(false));
            }
            // Neither stride 1 (every other row and column of a bigger matrix): the generic packing path.
            int m = s[0], n = s[1], k = s[2];
            Case cs = new Case(seed++, 2, m, n, k, 2 * (2 * k), 2, 2, 2 * (2 * k + 1) + 1, 5, 1);
            cs.check(cs.run(false));
        }
    }

    @Test
    void batchesWithOwnOffsets() {
        Case small = new Case(7, 5, 33, 17, 65, false, true, 11, 2);
        small.check(small.run(false));
        Case many = new Case(8, 32, 64, 48, 16, true, false, 1, 0);   // more matrices than tasks
        many.check(many.run(false));
    }

    @Test
    void degenerateSizes() {
        for (int[] s : new int[][] {{0, 5, 5}, {5, 0, 5}, {1, 1, 1}, {1, 1, 300}, {300, 1, 1}, {1, 300, 1}}) {
            Case cs = new Case(3, 2, s[0], s[1], s[2], false, false, 2, 1);
            cs.check(cs.run(false));
        }
        Case zeroK = new Case(4, 2, 9, 40, 0, false, false, 2, 3);   // k = 0: C becomes zeros
        float[] c = zeroK.run(false);
        for (int t = 0; t < 2; t++)
            for (int i = 0; i < 9; i++)
                for (int j = 0; j < 40; j++) assertEquals(0f, c[zeroK.co[t] + i * zeroK.ldc + j]);
        zeroK.check(c);
        Gemm.multiply(0, 4, 4, 4, new float[0], new int[0], 4, 1, new float[0], new int[0], 4, 1, new float[0], new int[0], 4);
    }

    @Test
    void oneAndTwoThreadsAgree() {
        // Big enough to be split into tasks; each C element is accumulated in the same order either way.
        Case[] cases = {
            new Case(21, 1, 301, 290, 270, false, false, 4, 3),
            new Case(22, 3, 200, 150, 40, false, true, 4, 0),
            new Case(23, 2, 40, 700, 150, true, false, 0, 1),
            new Case(24, 1, 40, 700, 150, false, false, 2, 1),     // wide: split into column tasks
        };
        for (Case cs : cases) {
            Parallel.setThreads(1);
            float[] one = cs.run(false);
            Parallel.setThreads(2);
            float[] two = cs.run(false);
            cs.check(two);
            for (int i = 0; i < one.length; i++)
                if (!(Float.isNaN(one[i]) && Float.isNaN(two[i])))
                    assertEquals(one[i], two[i], 1e-5f * Math.max(1f, Math.abs(one[i])), cs + " at " + i);
        }
    }
}

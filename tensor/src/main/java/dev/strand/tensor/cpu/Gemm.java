package dev.strand.tensor.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched single-precision matrix multiply, C[b] = A[b] · B[b], on strided views.
 *
 * <p>The SIMD path follows the BLIS/GotoBLAS structure. B is cut into panels of NC columns × KC
 * steps of the inner dimension, packed K-major into slivers as wide as the micro-tile; for each
 * panel, A is cut into blocks of a few tile heights × KC steps, packed into slivers as tall as the
 * tile. Slivers are zero-padded at the edges, so one register-blocked micro-kernel shape (rows ×
 * vectors, see {@code Blocked.Tile} and {@code Blocked.kernel}) handles every tile; ragged tiles
 * only get a partial write-back. A whose rows or columns are contiguous is read in place instead
 * of packed (only a ragged last sliver is packed). Packing reads through the strides, so
 * transposed views need no copy. Work is split into tasks over (batch × row blocks × column
 * blocks) and run on {@link Parallel}.
 *
 * <p>{@code -Dstrand.simd=false} forces the scalar twin; so does a JVM without the
 * {@code jdk.incubator.vector} module or with vectors of fewer than four floats ({@link Simd}).
 */
public final class Gemm {
    /** Whether {@link #multiply} takes the blocked SIMD path (see {@link Simd#ENABLED}). */
    static final boolean SIMD = Simd.ENABLED;

    private Gemm() {}

    /**
     * C[b] = A[b] · B[b] for each batch b; A[b] is m×k, B[b] is k×n, C[b] is m×n, all float32 in
     * flat arrays. Element (i, j) of A[b] is {@code a[aOffsets[b] + i*aRowStride + j*aColStride]},
     * likewise for B (any strides: transposed views need no copy). C[b] is overwritten at
     * {@code c[cOffsets[b] + i*cRowStride + j]}. Runs in parallel via {@link Parallel#forRange}.
     */
    public static void multiply(int batch, int m, int n, int k,
            float[] a, int[] aOffsets, int aRowStride, int aColStride,
            float[] b, int[] bOffsets, int bRowStride, int bColStride,
            float[] c, int[] cOffsets, int cRowStride) {
        if (batch <= 0 || m <= 0 || n <= 0) return;
        if (k <= 0) {
            for (int t = 0; t < batch; t++)
                for (int i = 0, row = cOffsets[t]; i < m; i++, row += cRowStride) Arrays.fill(c, row, row + n, 0f);
        } else if (SIMD) {
            Blocked.multiply(batch, m, n, k, a, aOffsets, aRowStride, aColStride,
                    b, bOffsets, bRowStride, bColStride, c, cOffsets, cRowStride);
        } else {
            multiplyScalar(batch, m, n, k, a, aOffsets, aRowStride, aColStride,
                    b, bOffsets, bRowStride, bColStride, c, cOffsets, cRowStride);
        }
    }

    /** The plain triple loop with the same contract as {@link #multiply}; the reference in tests. */
    public static void multiplyScalar(int batch, int m, int n, int k,
            float[] a, int[] aOffsets, int aRowStride, int aColStride,
            float[] b, int[] bOffsets, int bRowStride, int bColStride,
            float[] c, int[] cOffsets, int cRowStride) {
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                int ai = aOffsets[t] + i * aRowStride, ci = cOffsets[t] + i * cRowStride;
                for (int j = 0; j < n; j++) {
                    float sum = 0f;
                    for (int p = 0, ap = ai, bp = bOffsets[t] + j * bColStride; p < k; p++, ap += aColStride, bp += bRowStride)
                        sum += a[ap] * b[bp];
                    c[ci + j] = sum;
                }
            }
        }
    }

    /** The SIMD path; a nested class so that a JVM without the vector module never loads it. */
    private static final class Blocked {
        static final VectorSpecies<Float> S = Simd.SPECIES;
        static final int L = S.length();
        /**
         * A micro-tile: {@code rows} of C × {@code vectors} vectors of columns, its accumulators held
         * in registers for a whole K block. Its size is set by the register file: rows × vectors
         * accumulators, the B vectors of one step and a broadcast must fit, or C2 spills an
         * accumulator to the stack and the kernel runs at a fraction of its speed.
         */
        record Tile(int rows, int vectors) {
            int cols() {
                return vectors * L;
            }
        }
        /**
         * The tile for wide products. AVX-512 (32 registers): 14 rows × 2 vectors (28 accumulators),
         * measured best of rows × vectors in {4..14} × {2, 3, 4}. AVX2 and narrower (16 registers):
         * 4 × 3 (12 accumulators, 3 B vectors, a broadcast), which issues a third fewer A broadcasts
         * and bounds checks per FMA than 6 × 2 and ran 1.1-1.3× faster on the AVX2 EPYC (Zen 3).
         */
        static final Tile WIDE = S.vectorBitSize() >= 512 ? new Tile(14, 2) : new Tile(4, 3);
        /**
         * The tile for products at most a few vectors wide (attention's P·V with 16-dimensional
         * heads): with 16 registers, 6 × 2, so 16 columns are not padded to 24. AVX-512 keeps 14 × 2.
         */
        static final Tile NARROW = S.vectorBitSize() >= 512 ? WIDE : new Tile(6, 2);
        /** How much faster WIDE runs than NARROW per computed column (measured, AVX2 EPYC). */
        static final double WIDE_SPEEDUP = 1.15;
        /**
         * KC: an A sliver (rows × KC floats, at most 14 KiB) stays in L1 while the kernel streams a B panel
         * (KC×NC, 768 KiB) from L2; KC = 256 also keeps the re-reads of C (one per KC step) rare.
         * MC (8 slivers of rows): a small A block leaves L2 to the B panel. Measured on a 2-core Xeon with
         * 48 KiB L1 / 2 MiB L2: KC 192..512, NC 512..2048 and MC 112..1008 lie within a few percent.
         * On the AVX2 EPYC (512 KiB L2) KC 128..512, NC 384..1536 and MC 4..32 slivers lie within
         * its noise too, and BLIS's loop order (columns outside, rows inside) ran 5-12% slower.
         */
        static final int KC = 256, MC_SLIVERS = 8, NC = 768;
        /** Below this many flops a call stays on the calling thread: waking a pool thread costs 10-50 µs. */
        static final long SERIAL_FLOPS = 1L << 22;

        /** Per-thread packing buffers, grown on demand and reused across calls. */
        private static final class Workspace {
            float[] a = new float[0], b = new float[0];
            final float[] tile = new float[Math.max(WIDE.rows() * WIDE.cols(), NARROW.rows() * NARROW.cols())];
        }
        private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

        static void multiply(int batch, int m, int n, int k,
                float[] a, int[] aOffsets, int ars, int acs,
                float[] b, int[] bOffsets, int brs, int bcs,
                float[] c, int[] cOffsets, int ldc) {
            // One task per thread, or one per matrix when the batch is larger. A matrix that must be
            // shared is cut along its longer side: big square-ish tasks amortise packing best (each
            // packed A value serves every column of its task, each packed B value every row).
            int threads = Parallel.threads();
            int target = threads == 1 || 2L * batch * m * n * k < SERIAL_FLOPS ? 1 : threads;
            int perMatrix = (target + batch - 1) / batch;
            Tile tile = tileFor(n);
            int mr = tile.rows(), nr = tile.cols();
            int rowSlivers = ceilDiv(m, mr), colSlivers = ceilDiv(n, nr), rowParts = 1, colParts = 1;
            while (rowParts * colParts < perMatrix && (rowParts < rowSlivers || colParts < colSlivers)) {
                boolean rows = colParts == colSlivers || (rowParts < rowSlivers && m / rowParts >= n / colParts);
                if (rows) rowParts++; else colParts++;
            }
            int rowStep = ceilDiv(rowSlivers, rowParts) * mr, colStep = ceilDiv(colSlivers, colParts) * nr;
            int rowTasks = ceilDiv(m, rowStep), colTasks = ceilDiv(n, colStep), perBatch = rowTasks * colTasks;
            Parallel.forRange(batch * perBatch, 1, (start, end) -> {
                Workspace w = WORKSPACE.get();
                for (int t = start; t < end; t++) {
                    int bt = t / perBatch, i0 = t % perBatch / colTasks * rowStep, j0 = t % colTasks * colStep;
                    block(w, tile, k, i0, Math.min(m, i0 + rowStep), j0, Math.min(n, j0 + colStep),
                            a, aOffsets[bt], ars, acs, b, bOffsets[bt], brs, bcs, c, cOffsets[bt], ldc);
                }
            });
        }

        /**
         * WIDE, unless C is so narrow that padding its columns to WIDE's width wastes more than
         * WIDE's speed wins back: 16 columns take 6 × 16 tiles, not 4 × 24 ones a third empty.
         */
        static Tile tileFor(int n) {
            long wide = (long) ceilDiv(n, WIDE.cols()) * WIDE.cols(), narrow = (long) ceilDiv(n, NARROW.cols()) * NARROW.cols();
            return narrow * WIDE_SPEEDUP < wide ? NARROW : WIDE;
        }

        /** C[i0:i1, j0:j1] = A[i0:i1, :] · B[:, j0:j1] for one matrix of the batch. */
        private static void block(Workspace w, Tile tile, int k, int i0, int i1, int j0, int j1,
                float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                float[] c, int co, int ldc) {
            // Even block sizes (300 = 150 + 150, not 256 + 44), so no block is a sliver of work.
            int mr = tile.rows(), nr = tile.cols();
            int kc = ceilDiv(k, ceilDiv(k, KC));
            int mc = ceilDiv(ceilDiv(i1 - i0, ceilDiv(i1 - i0, MC_SLIVERS * mr)), mr) * mr;
            int nc = ceilDiv(ceilDiv(j1 - j0, ceilDiv(j1 - j0, NC)), nr) * nr;
            // The kernel reads A in place when one of its strides is 1: an A sliver (mr rows of kc)
            // stays in L1 either way, and packing it costs as much as the product when C is narrow
            // (attention's P·V: 16 columns). Measured on the AVX2 EPYC: in place is as fast at
            // n = 1024 and 2048 and up to 1.6× faster at the quickstart's shapes.
            boolean inPlace = Math.min(ars, acs) == 1;
            if (w.a.length < mc * kc) w.a = new float[mc * kc];
            if (w.b.length < nc * kc) w.b = new float[nc * kc];
            for (int jc = j0; jc < j1; jc += nc) {
                int nb = Math.min(nc, j1 - jc);
                for (int pc = 0; pc < k; pc += kc) {
                    int kb = Math.min(kc, k - pc);
                    pack(b, bo + pc * brs + jc * bcs, bcs, brs, nb, nr, kb, w.b);
                    for (int ic = i0; ic < i1; ic += mc) {
                        int mb = Math.min(mc, i1 - ic), aStart = ao + ic * ars + pc * acs;
                        if (inPlace) {
                            // Only a ragged last sliver is packed (zero-padded): reading past A's last row could leave the array.
                            if (mb % mr != 0) pack(a, aStart + mb / mr * mr * ars, ars, acs, mb % mr, mr, kb, w.a);
                            macro(w, tile, a, aStart, ars, acs, mb, nb, kb, c, co + ic * ldc + jc, ldc, pc > 0);
                        } else {
                            pack(a, aStart, ars, acs, mb, mr, kb, w.a);
                            macro(w, tile, w.a, 0, 1, mr, mb, nb, kb, c, co + ic * ldc + jc, ldc, pc > 0);
                        }
                    }
                }
            }
        }

        /**
         * Packs {@code lines} source lines (rows of A, or columns of B) into slivers of {@code width}
         * lanes, K-major: lane l of step p of sliver s lands at {@code dst[s*width*kc + p*width + l]}.
         * Line l starts at {@code off + l*lineStride}, its steps are {@code step} apart. Lanes past
         * the last line are zeroed: the kernel computes them anyway (their results are dropped), and
         * stale floats there could be denormals, which are slow.
         */
        private static void pack(float[] src, int off, int lineStride, int step, int lines, int width, int kc,
                float[] dst) {
            int ragged = lines / width * width * kc;
            if (lines % width != 0) Arrays.fill(dst, ragged, ragged + width * kc, 0f);
            if (lineStride == 1) {
                // The lanes of one step are adjacent (B rows, or A transposed): copy runs in source
                // order, so the reads stream through memory.
                for (int p = 0; p < kc; p++)
                    for (int l0 = 0, d = p * width; l0 < lines; l0 += width, d += width * kc)
                        System.arraycopy(src, off + p * step + l0, dst, d, Math.min(width, lines - l0));
                return;
            }
            // Otherwise (A rows, or B transposed) line by line, each read in source order, with plain
            // loads and stores: vector gathers here took a sixth of a training step on AMD's Zen 1,
            // whose gathers are microcoded.
            for (int l0 = 0, d = 0; l0 < lines; l0 += width, d += width * kc) {
                int count = Math.min(width, lines - l0), s0 = off + l0 * lineStride;
                for (int l = 0; l < count; l++)
                    for (int p = 0, sp = s0 + l * lineStride, dp = d + l; p < kc; p++, sp += step, dp += width) dst[dp] = src[sp];
            }
        }

        /**
         * Multiplies an A block (mc×kc: element (i, p) at {@code a[ai + i*ars + p*acs]}, packed or in
         * place) by the packed B panel (kc×nc) into C at {@code co}. In place, a ragged last sliver
         * comes packed at the start of the workspace.
         */
        private static void macro(Workspace w, Tile t, float[] a, int ai, int ars, int acs, int mc, int nc, int kc,
                float[] c, int co, int ldc, boolean add) {
            float[] pb = w.b, tile = w.tile;
            boolean packed = a == w.a;
            int mr = t.rows(), nr = t.cols();
            // Rows outside, columns inside: the A sliver stays in L1, and each C row is walked left
            // to right, a pattern the hardware prefetcher follows (Java has no prefetch instruction).
            for (int i = 0; i < mc; i += mr) {
                int rows = Math.min(mr, mc - i);
                float[] sa = a;
                int si = packed ? i * kc : ai + i * ars, srs = ars, scs = acs;
                if (!packed && rows < mr) {
                    sa = w.a;
                    si = 0;
                    srs = 1;
                    scs = mr;
                }
                for (int j = 0; j < nc; j += nr) {
                    int cols = Math.min(nr, nc - j), ci = co + i * ldc + j;
                    if (rows == mr && cols == nr) {
                        kernel(t, sa, si, srs, scs, pb, j * kc, kc, c, ci, ldc, add);
                    } else { // ragged edge: the same kernel on a scratch tile, then copy back the valid part
                        if (add) for (int r = 0; r < rows; r++) System.arraycopy(c, ci + r * ldc, tile, r * nr, cols);
                        kernel(t, sa, si, srs, scs, pb, j * kc, kc, tile, 0, nr, add);
                        for (int r = 0; r < rows; r++) System.arraycopy(tile, r * nr, c, ci + r * ldc, cols);
                    }
                }
            }
        }

        /**
         * The micro-kernel: tile (+)= A sliver · B sliver over kc steps. A's element (r, p) is
         * {@code a[ai + r*ars + p*acs]}: a packed sliver (ars 1, acs rows) or A itself, read in place
         * (see {@code block}); B is a packed sliver. Row r of the tile lives in the accumulators xr
         * (columns 0..L-1), yr (L..2L-1) and, three vectors wide, wr (2L..3L-1), all in registers; each
         * step loads the B vectors and broadcasts one A value per row. C is touched once, at the end
         * ({@code add}: accumulate onto it, else overwrite). One shape, rows × vectors, written out
         * for the tiles the register files take ({@link Tile}): Java has no templates.
         */
        private static void kernel(Tile t, float[] a, int ai, int ars, int acs, float[] b, int bi, int kc, float[] c, int ci, int ldc, boolean add) {
            switch (t.rows()) {
                case 14 -> kernel14(a, ai, ars, acs, b, bi, kc, c, ci, ldc, add);
                case 6 -> kernel6(a, ai, ars, acs, b, bi, kc, c, ci, ldc, add);
                default -> kernel4(a, ai, ars, acs, b, bi, kc, c, ci, ldc, add);
            }
        }

        /** 14 rows: 28 accumulators, 2 B vectors and a broadcast fill 32 vector registers (AVX-512). Kept free of calls and escaping vectors, so C2 compiles it to one loop of 28 FMAs, 14 broadcasts and 2 loads. */
        private static void kernel14(float[] a, int ai, int ars, int acs, float[] b, int bi, int kc, float[] c, int ci, int ldc, boolean add) {
            FloatVector z = FloatVector.zero(S);
            FloatVector x0 = z, x1 = z, x2 = z, x3 = z, x4 = z, x5 = z, x6 = z, x7 = z, x8 = z, x9 = z, x10 = z, x11 = z, x12 = z, x13 = z;
            FloatVector y0 = z, y1 = z, y2 = z, y3 = z, y4 = z, y5 = z, y6 = z, y7 = z, y8 = z, y9 = z, y10 = z, y11 = z, y12 = z, y13 = z;
            int r1 = ars, r2 = 2 * ars, r3 = 3 * ars, r4 = 4 * ars, r5 = 5 * ars, r6 = 6 * ars, r7 = 7 * ars, r8 = 8 * ars, r9 = 9 * ars,
                    r10 = 10 * ars, r11 = 11 * ars, r12 = 12 * ars, r13 = 13 * ars;
            for (int p = 0; p < kc; p++, ai += acs, bi += 2 * L) {
                FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + L), v;
                v = FloatVector.broadcast(S, a[ai]);       x0 = v.fma(b0, x0);   y0 = v.fma(b1, y0);
                v = FloatVector.broadcast(S, a[ai + r1]);  x1 = v.fma(b0, x1);   y1 = v.fma(b1, y1);
                v = FloatVector.broadcast(S, a[ai + r2]);  x2 = v.fma(b0, x2);   y2 = v.fma(b1, y2);
                v = FloatVector.broadcast(S, a[ai + r3]);  x3 = v.fma(b0, x3);   y3 = v.fma(b1, y3);
                v = FloatVector.broadcast(S, a[ai + r4]);  x4 = v.fma(b0, x4);   y4 = v.fma(b1, y4);
                v = FloatVector.broadcast(S, a[ai + r5]);  x5 = v.fma(b0, x5);   y5 = v.fma(b1, y5);
                v = FloatVector.broadcast(S, a[ai + r6]);  x6 = v.fma(b0, x6);   y6 = v.fma(b1, y6);
                v = FloatVector.broadcast(S, a[ai + r7]);  x7 = v.fma(b0, x7);   y7 = v.fma(b1, y7);
                v = FloatVector.broadcast(S, a[ai + r8]);  x8 = v.fma(b0, x8);   y8 = v.fma(b1, y8);
                v = FloatVector.broadcast(S, a[ai + r9]);  x9 = v.fma(b0, x9);   y9 = v.fma(b1, y9);
                v = FloatVector.broadcast(S, a[ai + r10]); x10 = v.fma(b0, x10); y10 = v.fma(b1, y10);
                v = FloatVector.broadcast(S, a[ai + r11]); x11 = v.fma(b0, x11); y11 = v.fma(b1, y11);
                v = FloatVector.broadcast(S, a[ai + r12]); x12 = v.fma(b0, x12); y12 = v.fma(b1, y12);
                v = FloatVector.broadcast(S, a[ai + r13]); x13 = v.fma(b0, x13); y13 = v.fma(b1, y13);
            }
            // Written out rather than via a helper: C2 does not inline calls into a method this large,
            // and a FloatVector passed to a real call is boxed on the heap.
            if (add) {
                x0 = x0.add(FloatVector.fromArray(S, c, ci));                 y0 = y0.add(FloatVector.fromArray(S, c, ci + L));
                x1 = x1.add(FloatVector.fromArray(S, c, ci + ldc));           y1 = y1.add(FloatVector.fromArray(S, c, ci + ldc + L));
                x2 = x2.add(FloatVector.fromArray(S, c, ci + 2 * ldc));       y2 = y2.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
                x3 = x3.add(FloatVector.fromArray(S, c, ci + 3 * ldc));       y3 = y3.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
                x4 = x4.add(FloatVector.fromArray(S, c, ci + 4 * ldc));       y4 = y4.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
                x5 = x5.add(FloatVector.fromArray(S, c, ci + 5 * ldc));       y5 = y5.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
                x6 = x6.add(FloatVector.fromArray(S, c, ci + 6 * ldc));       y6 = y6.add(FloatVector.fromArray(S, c, ci + 6 * ldc + L));
                x7 = x7.add(FloatVector.fromArray(S, c, ci + 7 * ldc));       y7 = y7.add(FloatVector.fromArray(S, c, ci + 7 * ldc + L));
                x8 = x8.add(FloatVector.fromArray(S, c, ci + 8 * ldc));       y8 = y8.add(FloatVector.fromArray(S, c, ci + 8 * ldc + L));
                x9 = x9.add(FloatVector.fromArray(S, c, ci + 9 * ldc));       y9 = y9.add(FloatVector.fromArray(S, c, ci + 9 * ldc + L));
                x10 = x10.add(FloatVector.fromArray(S, c, ci + 10 * ldc));    y10 = y10.add(FloatVector.fromArray(S, c, ci + 10 * ldc + L));
                x11 = x11.add(FloatVector.fromArray(S, c, ci + 11 * ldc));    y11 = y11.add(FloatVector.fromArray(S, c, ci + 11 * ldc + L));
                x12 = x12.add(FloatVector.fromArray(S, c, ci + 12 * ldc));    y12 = y12.add(FloatVector.fromArray(S, c, ci + 12 * ldc + L));
                x13 = x13.add(FloatVector.fromArray(S, c, ci + 13 * ldc));    y13 = y13.add(FloatVector.fromArray(S, c, ci + 13 * ldc + L));
            }
            x0.intoArray(c, ci);                y0.intoArray(c, ci + L);
            x1.intoArray(c, ci + ldc);          y1.intoArray(c, ci + ldc + L);
            x2.intoArray(c, ci + 2 * ldc);      y2.intoArray(c, ci + 2 * ldc + L);
            x3.intoArray(c, ci + 3 * ldc);      y3.intoArray(c, ci + 3 * ldc + L);
            x4.intoArray(c, ci + 4 * ldc);      y4.intoArray(c, ci + 4 * ldc + L);
            x5.intoArray(c, ci + 5 * ldc);      y5.intoArray(c, ci + 5 * ldc + L);
            x6.intoArray(c, ci + 6 * ldc);      y6.intoArray(c, ci + 6 * ldc + L);
            x7.intoArray(c, ci + 7 * ldc);      y7.intoArray(c, ci + 7 * ldc + L);
            x8.intoArray(c, ci + 8 * ldc);      y8.intoArray(c, ci + 8 * ldc + L);
            x9.intoArray(c, ci + 9 * ldc);      y9.intoArray(c, ci + 9 * ldc + L);
            x10.intoArray(c, ci + 10 * ldc);    y10.intoArray(c, ci + 10 * ldc + L);
            x11.intoArray(c, ci + 11 * ldc);    y11.intoArray(c, ci + 11 * ldc + L);
            x12.intoArray(c, ci + 12 * ldc);    y12.intoArray(c, ci + 12 * ldc + L);
            x13.intoArray(c, ci + 13 * ldc);    y13.intoArray(c, ci + 13 * ldc + L);
        }

        /** 6 rows × 2 vectors: 12 accumulators, 2 B vectors and a broadcast fit 16 vector registers (AVX2's narrow tile); with 14 rows AVX2 spills and runs 3-4× slower. */
        private static void kernel6(float[] a, int ai, int ars, int acs, float[] b, int bi, int kc, float[] c, int ci, int ldc, boolean add) {
            FloatVector z = FloatVector.zero(S);
            FloatVector x0 = z, x1 = z, x2 = z, x3 = z, x4 = z, x5 = z;
            FloatVector y0 = z, y1 = z, y2 = z, y3 = z, y4 = z, y5 = z;
            int r1 = ars, r2 = 2 * ars, r3 = 3 * ars, r4 = 4 * ars, r5 = 5 * ars;
            for (int p = 0; p < kc; p++, ai += acs, bi += 2 * L) {
                FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + L), v;
                v = FloatVector.broadcast(S, a[ai]);       x0 = v.fma(b0, x0);   y0 = v.fma(b1, y0);
                v = FloatVector.broadcast(S, a[ai + r1]);  x1 = v.fma(b0, x1);   y1 = v.fma(b1, y1);
                v = FloatVector.broadcast(S, a[ai + r2]);  x2 = v.fma(b0, x2);   y2 = v.fma(b1, y2);
                v = FloatVector.broadcast(S, a[ai + r3]);  x3 = v.fma(b0, x3);   y3 = v.fma(b1, y3);
                v = FloatVector.broadcast(S, a[ai + r4]);  x4 = v.fma(b0, x4);   y4 = v.fma(b1, y4);
                v = FloatVector.broadcast(S, a[ai + r5]);  x5 = v.fma(b0, x5);   y5 = v.fma(b1, y5);
            }
            // Written out rather than via a helper: C2 does not inline calls into a method this large,
            // and a FloatVector passed to a real call is boxed on the heap.
            if (add) {
                x0 = x0.add(FloatVector.fromArray(S, c, ci));                 y0 = y0.add(FloatVector.fromArray(S, c, ci + L));
                x1 = x1.add(FloatVector.fromArray(S, c, ci + ldc));           y1 = y1.add(FloatVector.fromArray(S, c, ci + ldc + L));
                x2 = x2.add(FloatVector.fromArray(S, c, ci + 2 * ldc));       y2 = y2.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L));
                x3 = x3.add(FloatVector.fromArray(S, c, ci + 3 * ldc));       y3 = y3.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L));
                x4 = x4.add(FloatVector.fromArray(S, c, ci + 4 * ldc));       y4 = y4.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L));
                x5 = x5.add(FloatVector.fromArray(S, c, ci + 5 * ldc));       y5 = y5.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L));
            }
            x0.intoArray(c, ci);                y0.intoArray(c, ci + L);
            x1.intoArray(c, ci + ldc);          y1.intoArray(c, ci + ldc + L);
            x2.intoArray(c, ci + 2 * ldc);      y2.intoArray(c, ci + 2 * ldc + L);
            x3.intoArray(c, ci + 3 * ldc);      y3.intoArray(c, ci + 3 * ldc + L);
            x4.intoArray(c, ci + 4 * ldc);      y4.intoArray(c, ci + 4 * ldc + L);
            x5.intoArray(c, ci + 5 * ldc);      y5.intoArray(c, ci + 5 * ldc + L);
        }

        /**
         * 4 rows × 3 vectors: 12 accumulators, 3 B vectors and a broadcast fill 16 vector registers
         * exactly (AVX2's wide tile). A fifth row, or C2 keeping two broadcasts live, spills.
         */
        private static void kernel4(float[] a, int ai, int ars, int acs, float[] b, int bi, int kc, float[] c, int ci, int ldc, boolean add) {
            FloatVector z = FloatVector.zero(S);
            FloatVector x0 = z, x1 = z, x2 = z, x3 = z, y0 = z, y1 = z, y2 = z, y3 = z, w0 = z, w1 = z, w2 = z, w3 = z;
            int r1 = ars, r2 = 2 * ars, r3 = 3 * ars;
            for (int p = 0; p < kc; p++, ai += acs, bi += 3 * L) {
                FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + L), b2 = FloatVector.fromArray(S, b, bi + 2 * L), v;
                v = FloatVector.broadcast(S, a[ai]);      x0 = v.fma(b0, x0); y0 = v.fma(b1, y0); w0 = v.fma(b2, w0);
                v = FloatVector.broadcast(S, a[ai + r1]); x1 = v.fma(b0, x1); y1 = v.fma(b1, y1); w1 = v.fma(b2, w1);
                v = FloatVector.broadcast(S, a[ai + r2]); x2 = v.fma(b0, x2); y2 = v.fma(b1, y2); w2 = v.fma(b2, w2);
                v = FloatVector.broadcast(S, a[ai + r3]); x3 = v.fma(b0, x3); y3 = v.fma(b1, y3); w3 = v.fma(b2, w3);
            }
            // Written out rather than via a helper: C2 does not inline calls into a method this large,
            // and a FloatVector passed to a real call is boxed on the heap.
            int c1 = ci + ldc, c2 = ci + 2 * ldc, c3 = ci + 3 * ldc;
            if (add) {
                x0 = x0.add(FloatVector.fromArray(S, c, ci)); y0 = y0.add(FloatVector.fromArray(S, c, ci + L)); w0 = w0.add(FloatVector.fromArray(S, c, ci + 2 * L));
                x1 = x1.add(FloatVector.fromArray(S, c, c1)); y1 = y1.add(FloatVector.fromArray(S, c, c1 + L)); w1 = w1.add(FloatVector.fromArray(S, c, c1 + 2 * L));
                x2 = x2.add(FloatVector.fromArray(S, c, c2)); y2 = y2.add(FloatVector.fromArray(S, c, c2 + L)); w2 = w2.add(FloatVector.fromArray(S, c, c2 + 2 * L));
                x3 = x3.add(FloatVector.fromArray(S, c, c3)); y3 = y3.add(FloatVector.fromArray(S, c, c3 + L)); w3 = w3.add(FloatVector.fromArray(S, c, c3 + 2 * L));
            }
            x0.intoArray(c, ci); y0.intoArray(c, ci + L); w0.intoArray(c, ci + 2 * L);
            x1.intoArray(c, c1); y1.intoArray(c, c1 + L); w1.intoArray(c, c1 + 2 * L);
            x2.intoArray(c, c2); y2.intoArray(c, c2 + L); w2.intoArray(c, c2 + 2 * L);
            x3.intoArray(c, c3); y3.intoArray(c, c3 + L); w3.intoArray(c, c3 + 2 * L);
        }

        private static int ceilDiv(int x, int y) {
            return (x + y - 1) / y;
        }
    }
}

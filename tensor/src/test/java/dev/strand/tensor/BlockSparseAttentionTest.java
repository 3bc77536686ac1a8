package dev.strand.tensor;

import static dev.strand.tensor.Assertions2.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.tensor.cpu.CpuBackend;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Block-sparse attention against dense attention under the equivalent additive bias (log of how
 * often each key is read, −∞ where never, −∞ at padding, ALiBi), forward and backward; the vector
 * path against the scalar one; bad shapes named.
 */
class BlockSparseAttentionTest {
    private static final int B = 2, H = 3, BS = 4, NB = 5, T = BS * NB, HD = 8;
    private static final float SCALE = (float) (1 / Math.sqrt(HD));

    /** A random pattern: every row reads 1 to 4 key blocks, some of them twice. */
    private static BlockPattern randomPattern(long seed) {
        java.util.Random r = new java.util.Random(seed);
        int[][][] rows = new int[H][NB][];
        for (int h = 0; h < H; h++) {
            for (int i = 0; i < NB; i++) {
                rows[h][i] = new int[1 + r.nextInt(4)];
                for (int j = 0; j < rows[h][i].length; j++) rows[h][i][j] = r.nextInt(NB);
            }
        }
        rows[0][1] = new int[] {2, 2, 0};   // a block read twice, for certain
        return BlockPattern.of(BS, rows);
    }

    /** Padding [B, T]: batch row 1 has its last 6 positions padded. */
    private static Tensor padding() {
        float[] p = new float[B * T];
        for (int t = T - 6; t < T; t++) p[T + t] = 1;
        return Tensor.of(p, B, T);
    }

    /** The dense bias [B, H, T, T] equivalent to a pattern, padding and ALiBi. */
    private static Tensor denseBias(BlockPattern pattern, Tensor padding, float[] slopes) {
        int[][][] m = pattern.multiplicity();
        float[] pad = padding == null ? new float[B * T] : padding.toFloatArray();
        float[] bias = new float[B * H * T * T];
        for (int b = 0; b < B; b++) {
            for (int h = 0; h < H; h++) {
                for (int t = 0; t < T; t++) {
                    for (int s = 0; s < T; s++) {
                        int times = m[h][t / BS][s / BS];
                        float v = times == 0 || pad[b * T + s] != 0 ? Float.NEGATIVE_INFINITY : (float) Math.log(times);
                        if (slopes != null) v -= slopes[h] * Math.abs(t - s);
                        bias[((b * H + h) * T + t) * T + s] = v;
                    }
                }
            }
        }
        return Tensor.of(bias, B, H, T, T);
    }

    /** Dense gradients {dq, dk, dv} of softmax(q·kᵀ·scale + bias)·v for upstream g, composed from tensor ops. */
    private static Tensor[] denseGradients(Tensor q, Tensor k, Tensor v, Tensor bias, Tensor g) {
        Tensor p = Tensor.attentionWeights(q, k, bias, false, SCALE);                       // [B, H, T, T]
        Tensor dv = p.transpose(-2, -1).matmul(g);
        Tensor ds = p.softmaxBackward(g.matmul(v.transpose(-2, -1)), -1, false);
        return new Tensor[] {ds.matmul(k).mul(SCALE), ds.transpose(-2, -1).matmul(q).mul(SCALE), dv};
    }

    private static void checkAgainstDense(BlockPattern pattern, Tensor padding, float[] slopes, long seed) {
        Generator gen = new Generator(seed);
        Tensor q = Tensor.randn(gen, B, H, T, HD), k = Tensor.randn(gen, B, H, T, HD), v = Tensor.randn(gen, B, H, T, HD);
        Tensor g = Tensor.randn(gen, B, H, T, HD);
        Tensor bias = denseBias(pattern, padding, slopes);
        Tensor[] sparse = Tensor.blockSparseAttention(q, k, v, pattern, padding, slopes, SCALE);
        assertClose(Tensor.attention(q, k, v, bias, false, SCALE), sparse[0], 1e-5, 1e-5, "forward, " + pattern);
        Tensor[] grads = Tensor.blockSparseAttentionBackward(q, k, v, pattern, padding, slopes, SCALE, sparse[0], sparse[1], g);
        Tensor[] dense = denseGradients(q, k, v, bias, g);
        String[] names = {"dq", "dk", "dv"};
        for (int i = 0; i < 3; i++) assertClose(dense[i], grads[i], 1e-4, 1e-5, names[i] + ", " + pattern);
    }

    @Test
    void aPatternThatReadsEveryBlockIsDenseAttention() {
        checkAgainstDense(BlockPattern.full(BS, H, NB), null, null, 1);
        checkAgainstDense(BlockPattern.full(BS, H, NB), padding(), new float[] {0.5f, 0.25f, 0.125f}, 2);
    }

    @Test
    void aRandomPatternIsDenseAttentionUnderItsMaskWithPaddingAndAlibi() {
        checkAgainstDense(randomPattern(3), null, null, 3);
        checkAgainstDense(randomPattern(4), padding(), null, 4);
        checkAgainstDense(randomPattern(5), padding(), new float[] {0.5f, 0.25f, 0.125f}, 5);
    }

    @Test
    void theVectorPathMatchesTheScalarPaths() {
        BlockPattern pattern = randomPattern(6);
        Generator gen = new Generator(7);
        int hd = 13;   // not a multiple of any vector width: the tails run too
        Tensor q = Tensor.randn(gen, B, H, T, hd), k = Tensor.randn(gen, B, H, T, hd), v = Tensor.randn(gen, B, H, T, hd), g = Tensor.randn(gen, B, H, T, hd);
        Tensor padding = padding();
        Tensor[] vec = Tensor.blockSparseAttention(q, k, v, pattern, padding, null, 0.3f);
        Tensor out = Tensor.zeros(B, H, T, hd), lse = Tensor.zeros(B, H, T);
        CpuBackend.scalar().blockSparseAttention(q, k, v, pattern, padding, null, 0.3f, out, lse);
        assertClose(out, vec[0], 1e-5, 1e-6, "out");
        assertClose(lse, vec[1], 1e-5, 1e-6, "log-sum-exp");
        // The plain loops on one thread: what a backend without its own kernel runs on host copies.
        BlockSparseKernel.Problem problem = new BlockSparseKernel.Problem(B, T, hd, pattern, padding.toFloatArray(), null, 0.3f);
        float[] refOut = new float[B * H * T * hd], refLse = new float[B * H * T];
        BlockSparseKernel.forward(problem, q.toFloatArray(), k.toFloatArray(), v.toFloatArray(), refOut, refLse, BlockSparseKernel.SCALAR,
                BlockSparseKernel.SEQUENTIAL);
        assertClose(refOut, vec[0].toFloatArray(), 1e-5, 1e-6, "sequential scalar out");

        Tensor[] vecGrads = Tensor.blockSparseAttentionBackward(q, k, v, pattern, padding, null, 0.3f, vec[0], vec[1], g);
        float[][] refGrads = new float[3][B * H * T * hd];
        BlockSparseKernel.backward(problem, q.toFloatArray(), k.toFloatArray(), v.toFloatArray(), refOut, refLse, g.toFloatArray(),
                refGrads[0], refGrads[1], refGrads[2], BlockSparseKernel.SCALAR, BlockSparseKernel.SEQUENTIAL);
        for (int i = 0; i < 3; i++) assertClose(refGrads[i], vecGrads[i].toFloatArray(), 1e-4, 1e-5, "gradient " + i);
    }

    @Test
    void aRowWhoseKeysAreAllPaddingIsZeroAndHasNoGradient() {
        int[][][] rows = new int[1][2][];
        rows[0][0] = new int[] {1};
        rows[0][1] = new int[] {0, 1};
        BlockPattern pattern = BlockPattern.of(2, rows);
        Generator gen = new Generator(9);
        Tensor q = Tensor.randn(gen, 1, 1, 4, 2), k = Tensor.randn(gen, 1, 1, 4, 2), v = Tensor.randn(gen, 1, 1, 4, 2);
        Tensor padding = Tensor.of(new float[] {0, 0, 1, 1}, 1, 4);
        Tensor[] r = Tensor.blockSparseAttention(q, k, v, pattern, padding, null, 1f);
        float[] out = r[0].toFloatArray();
        assertTrue(Arrays.equals(new float[] {0, 0, 0, 0}, Arrays.copyOf(out, 4)), "block 0 reads only padding: " + Arrays.toString(out));
        assertEquals(Float.NEGATIVE_INFINITY, r[1].toFloatArray()[0]);
        Tensor[] g = Tensor.blockSparseAttentionBackward(q, k, v, pattern, padding, null, 1f, r[0], r[1], Tensor.ones(1, 1, 4, 2));
        for (Tensor t : g) assertTrue(Arrays.stream(box(t.toFloatArray())).allMatch(Float::isFinite), Arrays.toString(t.toFloatArray()));
    }

    @Test
    void badShapesAndPatternsAreNamed() {
        Tensor q = Tensor.zeros(1, 2, 8, 4);
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class,
                () -> Tensor.blockSparseAttention(q, q, q, BlockPattern.full(4, 3, 2), null, null, 1f));
        assertTrue(heads.getMessage().contains("[1, 2, 8, 4] needs a pattern of 2 heads covering 8 positions"), heads.getMessage());
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class,
                () -> Tensor.blockSparseAttention(q, Tensor.zeros(1, 2, 8, 3), q, BlockPattern.full(4, 2, 2), null, null, 1f));
        assertTrue(shapes.getMessage().contains("[1, 2, 8, 4], [1, 2, 8, 3]"), shapes.getMessage());
        IllegalArgumentException padding = assertThrows(IllegalArgumentException.class,
                () -> Tensor.blockSparseAttention(q, q, q, BlockPattern.full(4, 2, 2), Tensor.zeros(1, 7), null, 1f));
        assertTrue(padding.getMessage().contains("key padding must be [B, T] = [1, 8], got [1, 7]"), padding.getMessage());
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> BlockPattern.of(4, new int[][][] {{{0}, {2}}}));
        assertTrue(outside.getMessage().contains("key block 2 of row (0, 1) is outside 0 … 1"), outside.getMessage());
    }

    private static Float[] box(float[] a) {
        Float[] out = new Float[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[i];
        return out;
    }
}

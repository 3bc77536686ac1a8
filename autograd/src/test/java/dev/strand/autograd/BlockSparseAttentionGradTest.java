package dev.strand.autograd;

import dev.strand.tensor.BlockPattern;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The block-sparse attention op against finite differences: a pattern with a repeated block, padding, ALiBi, strided inputs. */
class BlockSparseAttentionGradTest {
    private static final int B = 2, H = 2, BS = 3, NB = 3, T = BS * NB, HD = 4;
    private static final BlockPattern PATTERN = BlockPattern.of(BS, new int[][][] {
            {{0, 1, 2}, {0, 1}, {2, 2, 0}},
            {{1}, {0, 1, 2}, {0, 2}}});
    private final Generator gen = new Generator(11);

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor q = Tensor.randn(gen, B, H, T, HD), k = Tensor.randn(gen, B, H, T, HD), v = Tensor.randn(gen, B, H, T, HD);
        Tensor padding = Tensor.of(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 0, /* row 1: */ 0, 0, 0, 0, 0, 0, 0, 1, 1}, B, T);
        GradCheck.check(in -> Attention.blockSparse(in.get(0), in.get(1), in.get(2), PATTERN, null, null, 0.5f), q, k, v);
        GradCheck.check(in -> Attention.blockSparse(in.get(0), in.get(1), in.get(2), PATTERN, padding, new float[] {0.5f, 0.25f}, 0.5f), q, k, v);
        // strided views, as split heads are: [B, T, H, hd] transposed
        GradCheck.check(in -> Attention.blockSparse(in.get(0).transpose(1, 2), in.get(1).transpose(1, 2), in.get(2), PATTERN, padding, null, 0.5f),
                Tensor.randn(gen, B, T, H, HD), Tensor.randn(gen, B, T, H, HD), v);
    }
}

package dev.strand.nn.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.TorchFixtures;
import dev.strand.tensor.BlockPattern;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The two BigBird layouts: Hugging Face's ITC random blocks equal to the tables its code draws
 * (numpy fixtures from make_bigbird_layouts.py), its evaluation option, its full-attention
 * fallback; GENA-LM's (DeepSpeed's) structure, fixed draw and cropping.
 */
class BigBirdLayoutTest {
    private static final Map<String, Map<String, Tensor>> FIX = TorchFixtures.load("/torch/bigbird_layouts.txt");

    private static int scalar(Map<String, Tensor> c, String name) {
        return (int) c.get(name).toFloatArray()[0];
    }

    @Test
    void numpysGeneratorIsReproducedBitForBit() {
        float[] hi = FIX.get("mt_seed5").get("hi").toFloatArray(), lo = FIX.get("mt_seed5").get("lo").toFloatArray();
        NumpyRandom rng = new NumpyRandom(5);
        for (int i = 0; i < hi.length; i++) assertEquals((long) hi[i] * 65536 + (long) lo[i], rng.nextUnsigned(), "output " + i);
        assertEquals(3499211612L, new NumpyRandom(5489).nextUnsigned(), "MT19937's reference first output");
        float[] perm = FIX.get("perm_seed7_n10").get("perm").toFloatArray();
        int[] expected = IntStream.range(0, perm.length).map(i -> (int) perm[i]).toArray();
        assertArrayEquals(expected, new NumpyRandom(7).permutation(IntStream.range(0, 10).toArray()));
    }

    @Test
    void itcRandomBlocksAreHuggingFacesTables() {
        int cases = 0;
        for (var e : FIX.entrySet()) {
            if (!e.getKey().startsWith("L")) continue;
            Map<String, Tensor> c = e.getValue();
            int nb = scalar(c, "nb"), r = scalar(c, "r"), block = scalar(c, "block"), heads = scalar(c, "heads");
            int[][][] drawn = ItcRandomBlocks.draw(nb, block, r, heads, scalar(c, "seed"), scalar(c, "max_seqlen"));
            float[] table = c.get("rand_attn").toFloatArray();
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < nb - 2; i++) {
                    for (int j = 0; j < r; j++) assertEquals((int) table[(h * (nb - 2) + i) * r + j], drawn[h][i][j], e.getKey() + " head " + h + " row " + (i + 1));
                }
            }
            cases++;
        }
        assertEquals(6, cases, "old and new plans, several lengths, layers and ranks");
    }

    @Test
    void itcRowsReadGlobalsWindowRandomAndFallBackToFullWhenShort() {
        BigBirdLayout itc = BigBirdLayout.itc(64, 3, 2, 2, 4096, BigBirdLayout.ItcEval.BLOCK_ZERO);
        BlockPattern p = itc.pattern(32, true);
        int[][][] rand = ItcRandomBlocks.draw(32, 64, 3, 2, 2, 4096);
        assertArrayEquals(IntStream.range(0, 32).toArray(), p.keys(1, 0), "the first block is global");
        assertArrayEquals(IntStream.range(0, 32).toArray(), p.keys(0, 31), "so is the last");
        int[] middle = p.keys(1, 10);
        assertArrayEquals(new int[] {0, 9, 10, 11, rand[1][9][0], rand[1][9][1], rand[1][9][2], 31}, middle);
        assertEquals(itc.pattern(32, true), itc.pattern(32, true), "the same layer and length give the same layout");
        assertNotEquals(p, BigBirdLayout.itc(64, 3, 2, 3, 4096, BigBirdLayout.ItcEval.BLOCK_ZERO).pattern(32, true), "another layer, another draw");

        int[] eval = itc.pattern(32, false).keys(0, 10);
        assertArrayEquals(new int[] {0, 9, 10, 11, 0, 0, 0, 31}, eval, "Hugging Face's evaluation: every random block is block 0");
        BigBirdLayout keep = BigBirdLayout.itc(64, 3, 2, 2, 4096, BigBirdLayout.ItcEval.RANDOM);
        assertEquals(keep.pattern(32, true), keep.pattern(32, false), "or the random blocks of training, when asked");

        assertEquals(BlockPattern.full(64, 2, 11), itc.pattern(11, true), "T = 704 ≤ (5 + 2·3)·64: full attention, as Hugging Face falls back");
        BigBirdLayout shortModel = BigBirdLayout.itc(64, 3, 2, 0, 512, BigBirdLayout.ItcEval.BLOCK_ZERO);
        assertEquals(16, shortModel.pattern(16, true).blocks, "1,024 tokens on a model trained on 512: the old plan's grid is the input's own");
        assertNotEquals(BlockPattern.full(64, 2, 12), itc.pattern(12, true));
    }

    @Test
    void genaRowsReadTwoGlobalsTheWindowAndTheirFixedRandomBlocks() {
        BigBirdLayout gena = BigBirdLayout.gena(64, 3, 2, 3, 4, 64, new Generator(1));
        BlockPattern p = gena.pattern(64, true);
        int[][][] table = gena.randomTable();
        for (int h = 0; h < 4; h++) {
            assertArrayEquals(IntStream.range(0, 64).toArray(), p.keys(h, 0), "blocks 0 and 1 are global rows");
            assertArrayEquals(IntStream.range(0, 64).toArray(), p.keys(h, 1));
            for (int i = 2; i < 64; i++) {
                java.util.TreeSet<Integer> expected = new java.util.TreeSet<>(java.util.List.of(0, 1, i - 1, i));
                if (i + 1 < 64) expected.add(i + 1);
                for (int j : table[h][i]) expected.add(j);
                assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), p.keys(h, i), "head " + h + " row " + i);
                assertEquals(3, Arrays.stream(table[h][i]).distinct().count(), "three distinct random blocks drawn from the whole row");
            }
        }
        assertEquals(p, gena.pattern(64, false), "the same layout in training and evaluation");
        assertTrue(Arrays.deepEquals(table, BigBirdLayout.gena(64, 3, 2, 3, 4, 64, new Generator(1)).randomTable()), "the draw follows the generator");
        assertNotEquals(Arrays.deepToString(table[0]), Arrays.deepToString(table[1]), "each head draws its own");

        BlockPattern shorter = gena.pattern(8, true);
        for (int i = 2; i < 8; i++) {
            int row = i;
            assertTrue(Arrays.stream(shorter.keys(0, i)).allMatch(j -> j < 8), "a shorter input keeps the corner of the table");
            assertTrue(Arrays.stream(table[0][row]).filter(j -> j < 8).allMatch(j -> Arrays.stream(shorter.keys(0, row)).anyMatch(k -> k == j)));
        }
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> gena.pattern(65, true));
        assertTrue(tooLong.getMessage().contains("drawn for inputs of up to 64 blocks of 64 tokens, got 65"), tooLong.getMessage());
    }
}

package dev.strand.nn.attention;

import static dev.strand.autograd.TorchFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.Attention;
import dev.strand.autograd.GradCheck;
import dev.strand.autograd.TorchFixtures;
import dev.strand.autograd.Variable;
import dev.strand.nn.checkpoint.Checkpoint;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.Transformer;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.BlockPattern;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BigBird attention: Hugging Face's block-sparse algorithm (torch fixtures from
 * make_bigbird_fixtures.py, ITC rows, padding, evaluation's repeated block 0), dense attention
 * when every block is allowed (padding to the block size, RoPE, ALiBi), dense attention under the
 * layout's mask otherwise, finite differences, and the GENA layout kept through a checkpoint.
 */
class BigBirdAttentionTest {
    private static final Map<String, Map<String, Tensor>> FIX = TorchFixtures.load("/torch/bigbird.txt");
    private static final int D = 16, H = 4;

    private static void huggingFaceCase(String name) {
        Map<String, Tensor> f = FIX.get(name);
        int block = (int) f.get("block").toFloatArray()[0];
        Tensor q = f.get("q"), padding = f.get("padding"), randAttn = f.get("rand_attn");
        int b = q.size(0), heads = q.size(1), t = q.size(2), nb = t / block, r = randAttn.size(2);
        float[] table = randAttn.toFloatArray();
        int[][][] rand = new int[heads][nb - 2][r];
        for (int h = 0; h < heads; h++) for (int i = 0; i < nb - 2; i++) for (int j = 0; j < r; j++) rand[h][i][j] = (int) table[(h * (nb - 2) + i) * r + j];
        BlockPattern pattern = BigBirdLayout.itcRows(block, nb, rand);

        Variable vq = Variable.param(q), vk = Variable.param(f.get("k")), vv = Variable.param(f.get("v"));
        Tensor anyPadding = padding.sum().item() > 0 ? padding : null;
        Variable out = Attention.blockSparse(vq, vk, vv, pattern, anyPadding, null, (float) (1 / Math.sqrt(q.size(3))));
        // Hugging Face zeroes the rows of padded queries; Strand cuts them off later. Compare the real rows.
        Tensor real = Tensor.ones(b, 1, t, 1).sub(padding.view(b, 1, t, 1));                 // [B, 1, T, 1]
        assertClose(f.get("out"), out.data().mul(real), name + " out");
        out.backward(f.get("gout").mul(real), false);
        assertClose(f.get("dq"), vq.grad(), name + " dq");
        assertClose(f.get("dk"), vk.grad(), name + " dk");
        assertClose(f.get("dv"), vv.grad(), name + " dv");
    }

    @Test
    void matchesHuggingFacesBlockSparseAlgorithm() {
        huggingFaceCase("itc_b4_nb6");
        huggingFaceCase("itc_b8_nb7");
    }

    @Test
    void matchesHuggingFaceInEvaluationWhereBlockZeroCountsOncePerRandomSlot() {
        huggingFaceCase("itc_b4_nb8_eval");
    }

    /** A BigBird layer whose every row is global (globals ≥ blocks), with weights copied from {@code dense}. */
    private static BigBirdAttention allBlocks(MultiHeadAttention dense, int block, Rope rope) {
        BigBirdAttention sparse = new BigBirdAttention(D, H, BigBirdLayout.gena(block, 1, 1000, 0, H, 64, new Generator(1)), rope, new Generator(2));
        Map<String, Variable> from = dense.namedParameters();
        sparse.namedParameters().forEach((n, p) -> p.data().copyFrom(from.get(n).data()));
        return sparse;
    }

    private static void equalsDense(Rope rope, boolean alibi) {
        MultiHeadAttention dense = new MultiHeadAttention(D, H, 0f, rope, new Generator(3));
        BigBirdAttention sparse = allBlocks(dense, 4, rope);
        AttentionMask mask = AttentionMask.lengths(new int[] {10, 7}, 10);
        if (alibi) mask = mask.withAlibi(Alibi.slopes(H));
        Tensor x = Tensor.randn(new Generator(4), 2, 10, D);                                   // T = 10: padded to 12 inside
        Variable xd = Variable.param(x), xs = Variable.param(x);
        Variable yd = dense.forward(xd, mask), ys = sparse.forward(xs, mask);
        assertEquals(10, ys.size(1), "the block padding is cut off again");
        assertClose(yd.data(), ys.data(), "out");
        Tensor g = Tensor.randn(new Generator(5), 2, 10, D);
        yd.backward(g, false);
        ys.backward(g, false);
        assertClose(xd.grad(), xs.grad(), "grad x");
        assertClose(dense.query.weight.grad(), sparse.query.weight.grad(), "grad of the query weight");
    }

    @Test
    void withEveryBlockAllowedItIsDenseAttentionWithPaddingRopeAndAlibi() {
        equalsDense(null, false);
        equalsDense(new Rope(D / H), false);
        equalsDense(null, true);
    }

    @Test
    void withARandomLayoutItIsDenseAttentionUnderTheLayoutsMask() {
        BigBirdAttention sparse = new BigBirdAttention(D, H, BigBirdLayout.gena(2, 1, 1, 1, H, 16, new Generator(6)), new Rope(D / H), new Generator(7));
        sparse.eval();
        sparse.recordAttention(true);
        AttentionMask mask = AttentionMask.lengths(new int[] {13, 9}, 13).withAlibi(Alibi.slopes(H));
        Tensor x = Tensor.randn(new Generator(8), 2, 13, D);
        Tensor y = sparse.forward(Variable.constant(x), mask).data();                         // [B, T, d]
        Tensor weights = sparse.lastAttention();                                               // [B, H, T, T]
        assertEquals(java.util.List.of(2, H, 13, 13), java.util.Arrays.stream(weights.shape()).boxed().toList(), "maps at the true length");
        BlockPattern pattern = sparse.layout().pattern(7, false);
        int[][][] times = pattern.multiplicity();
        float[] w = weights.toFloatArray();
        int zeroOutside = 0;
        for (int h = 0; h < H; h++) for (int i = 0; i < 13; i++) for (int j = 0; j < 13; j++) {
            if (times[h][i / 2][j / 2] == 0) {
                assertEquals(0f, w[(h * 13 + i) * 13 + j], "head " + h + " query " + i + " key " + j + " is outside the layout");
                zeroOutside++;
            }
        }
        assertTrue(zeroOutside > 100, "the layout hides keys: " + zeroOutside);
        Tensor v = sparse.value.forward(Variable.constant(x)).data().view(2, 13, H, D / H).transpose(1, 2);   // [B, H, T, hd]
        Tensor expected = sparse.output.forward(Variable.constant(weights.matmul(v).transpose(1, 2).reshape(2, 13, D))).data();
        assertClose(expected, y, "the block kernel against its own weights applied densely");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        BigBirdAttention sparse = new BigBirdAttention(8, 2, BigBirdLayout.gena(2, 1, 1, 1, 2, 8, new Generator(9)), new Rope(4), new Generator(10));
        AttentionMask mask = AttentionMask.lengths(new int[] {5, 3}, 5);
        GradCheck.check(in -> sparse.forward(in.get(0), mask), Tensor.randn(new Generator(11), 2, 5, 8));
    }

    @Test
    void aGenaLayoutIsSavedWithTheModelAndReadBackNotRedrawn(@TempDir Path dir) throws Exception {
        TransformerConfig config = new TransformerConfig(12, D, 2, H, 32, 64, 0f, true, Positions.ROPE, 1e-5f)
                .withAttention(new AttentionConfig.BigBird(4, 3, 2, 3, "gena", null));
        Transformer saved = new Transformer(config, new Generator(12));
        Checkpoint.save(dir, 1, saved, config, null, Map.of());
        TransformerConfig read = Checkpoint.readConfig(dir.resolve("step-0000001"), TransformerConfig.class);
        assertEquals(config, read, "the attention kind and its settings are in config.json");
        Transformer fresh = new Transformer(read, new Generator(13));
        BigBirdAttention before = (BigBirdAttention) fresh.layers.get(1).attention, original = (BigBirdAttention) saved.layers.get(1).attention;
        assertNotEquals(original.layout().pattern(16, true), before.layout().pattern(16, true), "another generator draws another layout");
        Checkpoint.loadModel(dir.resolve("step-0000001"), fresh);
        assertEquals(original.layout().pattern(16, true), before.layout().pattern(16, true), "the saved layout is read back");

        Tensor ids = Tensor.ofInts(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 1, 11);
        saved.eval();
        fresh.eval();
        assertClose(saved.forward(ids, null).data(), fresh.forward(ids, null).data(), "the same model after the round trip");
    }

    @Test
    void itIsAnEncodersAttention() {
        BigBirdAttention sparse = new BigBirdAttention(D, H, BigBirdLayout.gena(4, 3, 2, 1, H, 8, new Generator(14)), null, new Generator(15));
        UnsupportedOperationException causal = assertThrows(UnsupportedOperationException.class,
                () -> sparse.forward(Variable.constant(Tensor.zeros(1, 4, D)), AttentionMask.causal()));
        assertTrue(causal.getMessage().contains("no causal mask, no KV cache"), causal.getMessage());
    }
}

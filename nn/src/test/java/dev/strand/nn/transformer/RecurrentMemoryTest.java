package dev.strand.nn.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.Variable;
import dev.strand.nn.attention.AttentionConfig;
import dev.strand.nn.loss.Losses;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Recurrent memory, both forms: segmentation, the memory's path, truncated BPTT and decoding. */
class RecurrentMemoryTest {
    private static final int VOCAB = 12, CLS = 2, SEP = 3;

    /** Segments of 10 tokens with 2 memory tokens: 5 input tokens per encoder segment, 6 per decoder segment. */
    private static TransformerConfig config(int bptt, Positions positions) {
        return config(bptt, positions, RecurrentMemory.Readout.LAST);
    }

    private static TransformerConfig config(int bptt, Positions positions, RecurrentMemory.Readout readout) {
        return new TransformerConfig(VOCAB, 16, 2, 2, 32, 10, 0f, true, positions, 1e-5f)
                .withMemory(new RecurrentMemory(2, 10, bptt, readout));
    }

    private static SequenceModel encoderModel(int bptt) {
        return encoderModel(bptt, RecurrentMemory.Readout.LAST);
    }

    private static SequenceModel encoderModel(int bptt, RecurrentMemory.Readout readout) {
        Generator gen = new Generator(5);
        return new SequenceModel(new Transformer(config(bptt, Positions.LEARNED, readout), gen), new SequenceHead(16, 2, SequenceHead.Pooling.CLS, 0f, gen), gen);
    }

    /** A row [CLS] x [SEP] with x of {@code n} tokens 4..11. */
    private static int[] row(int n, int seed) {
        int[] r = new int[n + 2];
        r[0] = CLS;
        for (int i = 1; i <= n; i++) r[i] = 4 + (i * 7 + seed * 3) % 8;
        r[n + 1] = SEP;
        return r;
    }

    /** Rows padded with 0 to one length: ids [B, T] and key padding [B, T]. */
    private static Tensor[] batch(int[]... rows) {
        int t = Arrays.stream(rows).mapToInt(r -> r.length).max().orElseThrow();
        int[] ids = new int[rows.length * t], pad = new int[rows.length * t];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], 0, ids, b * t, rows[b].length);
            for (int j = rows[b].length; j < t; j++) pad[b * t + j] = 1;
        }
        return new Tensor[] {Tensor.ofInts(ids, rows.length, t), Tensor.ofInts(pad, rows.length, t)};
    }

    @Test
    void segmentsAreRightAlignedChunksAndShortRowsSkipTheEarlyOnes() {
        RecurrentMemory memory = new RecurrentMemory(2, 10, -1, null);
        Tensor[] b = batch(row(12, 0), row(3, 1));
        Segments s = Segments.of(b[0], b[1], memory);
        assertEquals(3, s.count());                                    // 12 tokens in chunks of 5: 2 + 5 + 5
        int[] x = Arrays.copyOfRange(row(12, 0), 1, 13);
        Segments.Segment first = s.segment(0), last = s.segment(2);
        // row 0, segment 0: [CLS] MEM MEM [SEP] x0 x1 [SEP], padded to the segment's longest (row 1 has none here)
        int[] ids0 = first.ids().toIntArray();
        assertEquals(7, first.ids().size(1));
        assertArrayEquals(new int[] {CLS, CLS, CLS, SEP, x[0], x[1], SEP}, Arrays.copyOfRange(ids0, 0, 7));
        assertArrayEquals(new int[] {1, 0}, first.present().toIntArray());
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1}, Arrays.copyOfRange(first.keyPadding().toIntArray(), 7, 14));   // [CLS] MEM MEM [SEP] [SEP]
        // the last segment is full for the long row and holds all of the short row
        int[] idsLast = last.ids().toIntArray();
        assertEquals(10, last.ids().size(1));
        assertArrayEquals(new int[] {CLS, CLS, CLS, SEP, x[7], x[8], x[9], x[10], x[11], SEP}, Arrays.copyOfRange(idsLast, 0, 10));
        int[] y = row(3, 1);
        assertArrayEquals(new int[] {CLS, CLS, CLS, SEP, y[1], y[2], y[3], SEP}, Arrays.copyOfRange(idsLast, 10, 18));
        assertArrayEquals(new int[] {1, 1}, last.present().toIntArray());
        assertTrue(last.allPresent());
    }

    @Test
    void aRowGivesTheSameOutputAloneAsBesideALongerRow() {
        for (RecurrentMemory.Readout readout : RecurrentMemory.Readout.values()) sameOutputAloneAndBeside(encoderModel(-1, readout));
    }

    @Test
    void theMeanReadoutAveragesTheHeadOverTheRowsOwnSegments() {
        SequenceModel mean = encoderModel(-1, RecurrentMemory.Readout.MEAN);
        mean.eval();
        Tensor[] b = batch(row(12, 0));                                    // 3 segments
        List<MemoryEncoder.SegmentOutput> outs = mean.memory.forward(b[0], null, mean.head::forward);
        assertEquals(3, outs.size());
        float[] expected = outs.get(0).value().add(outs.get(1).value()).add(outs.get(2).value()).div(3f).data().toFloatArray();
        assertArrayEquals(expected, mean.forward(b[0], null).data().toFloatArray(), 1e-6f);
        assertEquals(1, encoderModel(-1).memory.forward(b[0], null, mean.head::forward).size(), "the last readout reads only the last segment");
    }

    private static void sameOutputAloneAndBeside(SequenceModel model) {
        model.eval();
        int[] shortRow = row(4, 2), longRow = row(17, 3);
        float[] alone = model.forward(batch(shortRow)[0], batch(shortRow)[1]).data().toFloatArray();
        Tensor[] both = batch(longRow, shortRow);
        float[] beside = model.forward(both[0], both[1]).data().toFloatArray();
        float[] longAlone = model.forward(batch(longRow)[0], batch(longRow)[1]).data().toFloatArray();
        for (int k = 0; k < 2; k++) {
            assertEquals(alone[k], beside[2 + k], 1e-5, "the short row keeps its first memory through the segments it lacks");
            assertEquals(longAlone[k], beside[k], 1e-5);
        }
    }

    @Test
    void theMemoryCarriesTheFirstSegmentToTheLast() {
        SequenceModel model = encoderModel(-1);
        model.eval();
        int[] a = row(17, 3), b = a.clone();
        b[2] = 4 + (b[2] - 4 + 1) % 8;                                  // one token of the first segment changed
        float carriedA = model.forward(batch(a)[0], null).data().toFloatArray()[0];
        float carriedB = model.forward(batch(b)[0], null).data().toFloatArray()[0];
        assertNotEquals(carriedA, carriedB, "with memory the last segment sees the first");
        model.memory.carryMemory(false);
        float resetA = model.forward(batch(a)[0], null).data().toFloatArray()[0];
        float resetB = model.forward(batch(b)[0], null).data().toFloatArray()[0];
        assertEquals(resetA, resetB, 0f, "with the memory reset at every segment the last segment cannot see the first");
    }

    /** The gradient of the last segment's loss at the first memory (memory.memory.weight). */
    private static Tensor encoderMemoryGradient(int bptt) {
        SequenceModel model = encoderModel(bptt);
        Tensor[] b = batch(row(14, 1), row(9, 2));                       // 3 segments
        Losses.crossEntropy(model.forward(b[0], b[1]), Tensor.ofInts(new int[] {0, 1}, 2)).backward();
        Tensor g = model.memory.memory.weight.grad();
        return g == null ? Tensor.zeros(2, 16) : g;
    }

    @Test
    void truncatedBpttReallyCutsTheGradientAtTheFirstMemory() {
        // bptt 1 and 2 over 3 segments: the memory entering segment 0 is cut, so no gradient reaches it;
        // bptt 3 or -1 (all): it does. A cut whose detached tensor were dropped would give non-zero here.
        for (int k : new int[] {1, 2}) {
            assertEquals(0f, encoderMemoryGradient(k).abs().sum().item(), 0f, "encoder, bptt " + k);
            assertEquals(0f, decoderMemoryGradient(k).abs().sum().item(), 0f, "decoder, bptt " + k);
        }
        for (int k : new int[] {3, -1}) {
            assertTrue(encoderMemoryGradient(k).abs().sum().item() > 0, "encoder, bptt " + k);
            assertTrue(decoderMemoryGradient(k).abs().sum().item() > 0, "decoder, bptt " + k);
        }
    }

    private static GptModel decoderModel(int bptt, Positions positions) {
        return new GptModel(config(bptt, positions), new Generator(9));
    }

    /** ids [1, 19] of a stream: 3 decoder segments of 6 tokens and one of 1. */
    private static Tensor stream(int length) {
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) ids[i] = 4 + (i * 5 + 1) % 8;
        return Tensor.ofInts(ids, 1, length);
    }

    /** The gradient at the first memory of the last segment's loss only (so the first segment's own loss adds nothing). */
    private static Tensor decoderMemoryGradient(int bptt) {
        GptModel model = decoderModel(bptt, Positions.LEARNED);
        Tensor ids = stream(18);                                          // 3 segments of 6
        int[] targets = new int[18];
        Arrays.fill(targets, Losses.IGNORE_INDEX);
        for (int i = 13; i < 18; i++) targets[i - 1] = ids.toIntArray()[i];
        model.nextTokenLoss(ids, Tensor.ofInts(targets, 1, 18), false).backward();
        Tensor g = model.memory.memory.weight.grad();
        return g == null ? Tensor.zeros(2, 16) : g;
    }

    @Test
    void backpropagatingAtTheCutsGivesTheSameGradientsAsOneBackwardPass() {
        for (int k : new int[] {1, 2, -1}) {
            Map<String, Tensor> once = gradients(k, false), early = gradients(k, true);
            for (var e : once.entrySet()) {
                float[] a = e.getValue().toFloatArray(), b = early.get(e.getKey()).toFloatArray();
                for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5 + 1e-4 * Math.abs(a[i]), "bptt " + k + ": " + e.getKey());
            }
        }
    }

    private static Map<String, Tensor> gradients(int bptt, boolean atCuts) {
        GptModel model = decoderModel(bptt, Positions.LEARNED);
        Tensor ids = stream(26);
        Variable loss = model.nextTokenLoss(ids.narrow(1, 0, 25), ids.narrow(1, 1, 25), atCuts);
        Variable reference = decoderModel(bptt, Positions.LEARNED).nextTokenLoss(ids.narrow(1, 0, 25), ids.narrow(1, 1, 25), false);
        assertEquals(reference.item(), loss.item(), 1e-5, "the loss's value counts every segment");
        loss.backward();
        Map<String, Tensor> g = new java.util.TreeMap<>();
        model.namedParameters().forEach((name, p) -> g.put(name, p.grad() == null ? Tensor.zeros(p.shape()) : p.grad()));
        return g;
    }

    @Test
    void decodingWithCachesCarriesTheMemoryAsTheWholeStreamDoes() {
        for (Positions p : new Positions[] {Positions.LEARNED, Positions.ROPE, Positions.ALIBI}) {
            GptModel model = decoderModel(-1, p);
            model.eval();
            Tensor ids = stream(20);
            float[] whole = model.logits(ids, null).data().toFloatArray();           // [1, 20, V]
            MemoryDecoder.Stream s = model.memory.stream(1);
            List<Tensor> parts = new ArrayList<>();
            parts.add(s.feed(ids.narrow(1, 0, 4)));                                     // a prompt inside segment 0
            for (int i = 4; i < 20; i++) parts.add(s.feed(ids.narrow(1, i, 1)));        // then one token at a time, over 3 boundaries
            float[] fed = Tensor.concat(parts, 1).toFloatArray();
            for (int i = 0; i < whole.length; i++) assertEquals(whole[i], fed[i], 2e-4, p + " logit " + i);
            // greedy decoding gives the same tokens either way
            int[] prompt = Arrays.copyOf(ids.toIntArray(), 3);
            var greedy = dev.strand.nn.generate.Sampler.GREEDY;
            assertArrayEquals(model.generate(prompt, 20, greedy, new Generator(1), false), model.generate(prompt, 20, greedy, new Generator(1), true), p.name());
        }
    }

    @Test
    void theDecoderReadsEachSegmentWithItsOwnMemory() {
        GptModel model = decoderModel(-1, Positions.LEARNED);
        model.eval();
        Tensor ids = stream(12);
        float[] first = model.logits(ids.narrow(1, 0, 6), null).data().toFloatArray();
        float[] both = model.logits(ids, null).data().toFloatArray();
        for (int i = 0; i < first.length; i++) assertEquals(first[i], both[i], 1e-5, "the first segment does not see the second");
        model.memory.carryMemory(false);
        float[] reset = model.logits(ids, null).data().toFloatArray();
        float[] secondAlone = model.logits(ids.narrow(1, 6, 6), null).data().toFloatArray();
        for (int i = 0; i < secondAlone.length; i++) assertEquals(secondAlone[i], reset[first.length + i], 1e-5, "reset: segment 1 is read as if alone");
        boolean differs = false;
        for (int i = 0; i < secondAlone.length; i++) differs |= Math.abs(secondAlone[i] - both[first.length + i]) > 1e-4;
        assertTrue(differs, "carried: segment 1 reads segment 0's memory");
    }

    @Test
    void configsCheckTheirSettings() {
        assertThrows(IllegalArgumentException.class, () -> new RecurrentMemory(0, 10, -1, null));
        assertThrows(IllegalArgumentException.class, () -> new RecurrentMemory(4, 8, -1, null));
        assertThrows(IllegalArgumentException.class, () -> new RecurrentMemory(2, 10, -2, null));
        TransformerConfig c = config(-1, Positions.LEARNED);
        assertEquals(10, c.maxLength());
        assertTrue(!c.limitsInputLength());
        assertEquals("memory=2,segment=10,bptt=-1", c.memory().describe());
        // BigBird attention inside a segment, as GENA-LM combines them
        TransformerConfig sparse = new TransformerConfig(VOCAB, 16, 1, 2, 32, 32, 0f, true, Positions.ALIBI, 1e-5f)
                .withAttention(new AttentionConfig.BigBird(4, 3, 1, 1, "gena", null)).withMemory(new RecurrentMemory(2, 32, -1, null));
        Generator gen = new Generator(2);
        SequenceModel m = new SequenceModel(new Transformer(sparse, gen), new SequenceHead(16, 2, SequenceHead.Pooling.MEAN, 0f, gen), gen);
        assertArrayEquals(new int[] {1, 2}, m.forward(batch(row(60, 1))[0], null).shape());
    }
}

package dev.strand.genomics.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.data.TestDoubleInMemoryGenome;
import dev.strand.genomics.io.FastaGenome;
import dev.strand.genomics.io.GenomeSource;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.nn.loss.Losses;
import dev.strand.nn.train.Batch;
import dev.strand.nn.train.ShardedObjective;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Masked windows drawn shard by shard: a shard's rows depend on the step's seed and the shard
 * alone, so shards drawn apart (as replicas draw them) are the rows of the whole batch; and the
 * data travels (Java serialisation) and draws the same rows where it lands.
 */
class WindowShardsTest {
    private static final Tokenizer TOKENIZER = new KmerTokenizer(3);

    @TempDir Path dir;

    private WindowShards shards(int batch, int count) throws Exception {
        Generator gen = new Generator(3);
        Path fasta = dir.resolve("g.fa");
        if (!Files.exists(fasta)) {
            Files.writeString(fasta, ">a\n" + TestDoubleInMemoryGenome.randomDna(3000, gen) + "\n>b\n" + TestDoubleInMemoryGenome.randomDna(1200, gen) + "\n");
        }
        PretrainingWindows.Spec spec = new PretrainingWindows.Spec(50, List.of(PretrainingWindows.HeldOut.lastFraction(0.1)),
                PretrainingWindows.NPolicy.SKIP_ANY, 0.5);
        return new WindowShards(List.of(GenomeSource.fasta(fasta)), spec, List.of(), Tokenizers.toJson(TOKENIZER), batch, count, 5, WindowShards.Target.MASKED);
    }

    private static int[][] rows(Batch b, String name) {
        int t = b.get(name).size(1);
        int[] flat = b.get(name).toIntArray();
        int[][] out = new int[b.rows()][];
        for (int i = 0; i < out.length; i++) out[i] = Arrays.copyOfRange(flat, i * t, (i + 1) * t);
        return out;
    }

    @Test
    void shardsDrawnApartAreTheRowsOfTheWholeBatch() throws Exception {
        WindowShards data = shards(10, 3);
        Batch whole = data.draw(42, 0, 3);
        assertEquals(10, whole.rows());
        Batch first = data.draw(42, 0, 1), rest = data.draw(42, 1, 3);
        assertEquals(List.of(3, 3, 4), List.of(data.rows(0), data.rows(1), data.rows(2)), "10 rows among 3 shards");
        for (String name : List.of("input_ids", "labels")) {
            int[][] all = rows(whole, name), a = rows(first, name), b = rows(rest, name);
            for (int i = 0; i < 10; i++) assertArrayEquals(all[i], i < 3 ? a[i] : b[i - 3], name + " row " + i);
        }
        long masked = Arrays.stream(whole.get("labels").toIntArray()).filter(l -> l != Losses.IGNORE_INDEX).count();
        assertTrue(masked > 0 && masked < 10 * 50, "some positions are masked: " + masked);
        assertArrayEquals(whole.get("input_ids").toIntArray(), data.draw(42, 0, 3).get("input_ids").toIntArray(), "a pure function of the seed");
        assertFalse(Arrays.equals(whole.get("input_ids").toIntArray(), data.draw(43, 0, 3).get("input_ids").toIntArray()), "another step, other rows");
    }

    @Test
    void theDataTravelsAndDrawsTheSameRowsWhereItLands() throws Exception {
        WindowShards data = shards(6, 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ShardedObjective.Draw(data, 7));
        }
        ShardedObjective.Draw landed;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            landed = (ShardedObjective.Draw) in.readObject();
        }
        assertEquals(data, landed.data());
        assertArrayEquals(data.draw(7, 1, 2).get("input_ids").toIntArray(), landed.shards(1, 2).get("input_ids").toIntArray());
        assertArrayEquals(data.draw(7, 1, 2).get("labels").toIntArray(), landed.shards(1, 2).get("labels").toIntArray());
    }

    @Test
    void anObjectiveOverShardsDrawsEachStepFromItsOwnSeed() throws Exception {
        WindowShards data = shards(6, 2);
        TransformerConfig config = new TransformerConfig(TOKENIZER.vocabSize(), 16, 1, 2, 32, 50, 0f, true, Positions.ROPE, 1e-5f);
        MaskedLanguageModelling mlm = new MaskedLanguageModelling(new BertModel(config, new Generator(1)), TOKENIZER, data, new Generator(9));
        ShardedObjective.Draw step1 = mlm.nextDraw(), step2 = mlm.nextDraw();
        assertEquals(List.of(0L, 1L), List.of(step1.step(), step2.step()), "draws are numbered from the generator's counter");
        MaskedLanguageModelling twin = new MaskedLanguageModelling(new BertModel(config, new Generator(1)), TOKENIZER, data, new Generator(9));
        assertArrayEquals(step1.shards(0, 2).get("input_ids").toIntArray(), twin.nextBatch().get("input_ids").toIntArray(),
                "one process draws every shard of the step a replica would");
        assertTrue(Float.isFinite(twin.next().value().item()));
    }

    @Test
    void aBatchSmallerThanItsShardsIsRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> shards(2, 3));
        assertTrue(e.getMessage().contains("a batch of 2 rows cannot be cut into 3 data shards"), e.getMessage());
    }

    @Test
    void nextTokenShardsPredictEachDnaTokenFromTheOnesBeforeIt() throws Exception {
        WindowShards masked = shards(6, 2);
        WindowShards next = new WindowShards(masked.genomes(), masked.windows(), List.of(), masked.tokenizerJson(), 6, 2, 5, WindowShards.Target.NEXT_TOKEN);
        Batch b = next.draw(3, 0, 2);
        int[][] in = rows(b, "input_ids"), labels = rows(b, "labels");
        assertEquals(6, in.length);
        assertEquals(50 - 2 + 2 - 1, in[0].length, "the window's tokens with [CLS] and [SEP], less the last");
        for (int i = 0; i < 6; i++) {
            for (int t = 0; t + 1 < in[i].length; t++) assertEquals(in[i][t + 1], labels[i][t], "row " + i + ": the label at t is the input at t + 1");
            assertEquals(Losses.IGNORE_INDEX, labels[i][in[i].length - 1], "[SEP] is never a target");
            assertTrue(TOKENIZER.isSpecial(in[i][0]), "[CLS] is an input");
        }
        int[][] first = rows(next.draw(3, 0, 1), "input_ids");
        for (int i = 0; i < first.length; i++) assertArrayEquals(first[i], in[i], "a shard drawn alone is the same rows");
    }
}

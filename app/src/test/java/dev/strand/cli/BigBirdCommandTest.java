package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --attention bigbird end to end: pretraining a block-sparse model whose layout is saved in its
 * config, info and attention maps reading it, fine-tuning a dense model with BigBird on rows longer
 * than it was pretrained on, and bad specs as one line.
 */
class BigBirdCommandTest {
    private static final JsonMapper JSON = new JsonMapper();

    private static CliRun pretrain(Path out, int window, String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("pretrain", "--fasta", CliRun.resource("lambda_virus.fa").toString(),
                "--out", out.toString(), "--steps", "2", "--batch", "2", "--window", String.valueOf(window), "--dim", "16", "--layers", "1", "--heads", "2",
                "--eval-every", "2", "--checkpoint-every", "2"));
        args.addAll(java.util.List.of(extra));
        return CliRun.of(args);
    }

    @Test
    void aBlockSparseModelPretrainsAndEveryCommandReadsIt(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("bigbird");
        CliRun p = pretrain(run, 100, "--attention", "bigbird:block=16,random=2");
        assertEquals(0, p.exit(), p.err());
        JsonNode attention = JSON.readTree(run.resolve("step-0000002/config.json").toFile()).get("attention");
        assertEquals("bigbird", attention.get("kind").asText());
        assertEquals(16, attention.get("block").asInt());
        assertEquals("gena", attention.get("layout").asText());

        CliRun info = CliRun.of("info", "--model", run.toString());
        assertEquals(0, info.exit(), info.err());
        assertTrue(info.out().contains("attention: 1 layers of BigBird gena layout: blocks of 16, window 3, 2 global, 2 random; at 112 tokens"), info.out());

        Path maps = dir.resolve("maps");
        CliRun a = CliRun.of("attention", "--model", run.toString(), "--sequence", "ACGTTGCATGCATTTACGGAACGTTGCATGCATTTACGGA", "--out", maps.toString());
        assertEquals(0, a.exit(), a.err());
        assertTrue(a.out().contains("40 bases, 42 tokens"), "maps at the true length, not the padded one: " + a.out());
        assertTrue(Files.exists(maps.resolve("sequence").resolve("layer1_head2.png")));
        java.awt.image.BufferedImage layout = javax.imageio.ImageIO.read(maps.resolve("sequence").resolve("block_layout.png").toFile());
        assertTrue(layout.getWidth() > 200 && layout.getHeight() > 100, "the block layout of each head is drawn");
    }

    @Test
    void aDenseModelFineTunesWithBigBirdOnRowsLongerThanItsWindows(@TempDir Path dir) throws Exception {
        Path dense = dir.resolve("dense");
        assertEquals(0, pretrain(dense, 64).exit());
        Path tuned = dir.resolve("tuned");
        CliRun f = CliRun.of("finetune", "--model", dense.toString(), "--data", CliRun.resource("promoters").toString(), "--steps", "2",
                "--eval-every", "2", "--batch", "8", "--attention", "bigbird:block=32,layout=itc", "--out", tuned.toString());
        assertEquals(0, f.exit(), f.err());
        JsonNode result = JSON.readTree(tuned.resolve("result.json").toFile());
        assertEquals("itc", result.get("settings").get("attention").get("layout").asText(), result.toString());
        CliRun e = CliRun.of("evaluate", "--model", tuned.toString(), "--data", CliRun.resource("promoters").toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.3f", result.get("test").get("accuracy").asDouble())),
                "evaluate reads the BigBird model and gives fine-tuning's test scores: " + e.out());
    }

    @Test
    void badSpecsAreOneClearLine(@TempDir Path dir) {
        for (String[] c : new String[][] {
                {"sparse", "--attention: 'sparse' is not dense or bigbird"},
                {"bigbird:block=64,size=3", "--attention: unknown key 'size'"},
                {"bigbird:layout=itc,window=5", "the itc layout has a window of 3 blocks and 2 global blocks"},
                {"bigbird:window=2", "an odd window"}}) {
            CliRun r = pretrain(dir.resolve("never"), 100, "--attention", c[0]);
            assertEquals(1, r.exit(), c[0] + ": " + r.err());
            assertTrue(r.errorLine().contains(c[1]), c[0] + " → " + r.errorLine());
        }
        CliRun causal = pretrain(dir.resolve("never"), 100, "--attention", "bigbird", "--objective", "causal");
        assertEquals(1, causal.exit());
        assertTrue(causal.errorLine().contains("pretrain it with --objective mlm"), causal.err());
    }
}

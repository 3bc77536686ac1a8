package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --rmt end to end: a causal model pretrained with recurrent memory (saved in its config, reported
 * by validation and info, carried by generate and perplexity), a masked model fine-tuned with memory
 * on rows longer than a segment (read back by evaluate), and bad specs as one line.
 */
class RmtCommandTest {
    private static final JsonMapper JSON = new JsonMapper();

    private static CliRun pretrain(Path out, String objective, String... extra) {
        List<String> args = new ArrayList<>(List.of("pretrain", "--fasta", CliRun.resource("lambda_virus.fa").toString(), "--objective", objective,
                "--out", out.toString(), "--steps", "2", "--batch", "2", "--window", "100", "--dim", "16", "--layers", "1", "--heads", "2",
                "--eval-every", "2", "--checkpoint-every", "2"));
        args.addAll(List.of(extra));
        return CliRun.of(args);
    }

    @Test
    void aCausalModelWithMemoryPretrainsAndEveryCommandCarriesIt(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("rmt");
        CliRun p = pretrain(run, "causal", "--rmt", "memory=4,segment=40,bptt=2");
        assertEquals(0, p.exit(), p.err());
        JsonNode memory = JSON.readTree(run.resolve("step-0000002/config.json").toFile()).get("memory");
        assertEquals(4, memory.get("tokens").asInt());
        assertEquals(40, memory.get("segment").asInt());
        assertEquals(2, memory.get("bptt").asInt());
        assertTrue(p.out().contains("recurrent memory: ") && p.out().contains("with the memory carried"), p.out());
        assertTrue(Files.readString(run.resolve("metrics.jsonl")).contains("later_segments_bits_per_base_reset"), "the memory's effect is logged");

        CliRun info = CliRun.of("info", "--model", run.toString());
        assertEquals(0, info.exit(), info.err());
        assertTrue(info.out().contains("memory:  recurrent, memory=4,segment=40,bptt=2"), info.out());

        // 150 new bases cross several segments of 32 tokens: the memory is written and carried on the way
        Path samples = dir.resolve("samples.fa");
        CliRun g = CliRun.of("generate", "--model", run.toString(), "--length", "150", "--count", "2", "--out", samples.toString());
        assertEquals(0, g.exit(), g.err());
        List<String> lines = Files.readAllLines(samples);
        assertTrue(lines.stream().filter(l -> !l.startsWith(">")).mapToInt(String::length).sum() == 300, lines.toString());

        CliRun s = CliRun.of("perplexity", "--model", run.toString(), "--fasta", CliRun.resource("lambda_virus.fa").toString(),
                "--start", "1000", "--length", "3000");
        assertEquals(0, s.exit(), s.err());
        assertTrue(s.out().contains("3,000 bases (recurrent memory, memory=4,segment=40,bptt=2)") && s.out().contains("bits per base"), s.out());
        assertTrue(s.out().contains("peak heap in use after a full collection"), s.out());
        CliRun reset = CliRun.of("perplexity", "--model", run.toString(), "--fasta", CliRun.resource("lambda_virus.fa").toString(),
                "--start", "1000", "--length", "3000", "--reset-memory");
        assertEquals(0, reset.exit(), reset.err());
        assertTrue(reset.out().contains("memory=4,segment=40,bptt=2, reset at every segment)"), reset.out());
        assertTrue(!bits(reset.out()).equals(bits(s.out())), "resetting the memory changes the figure: " + s.out() + reset.out());
    }

    @Test
    void aCheckpointWithoutMemoryEmbeddingsIsOneClearLine(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("plain");
        assertEquals(0, pretrain(run, "causal").exit());
        // a config that asks for memory over weights that have none (edited, or from another run)
        Path config = run.resolve("step-0000002/config.json");
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(config.toFile());
        json.putObject("memory").put("tokens", 4).put("segment", json.get("maxLength").asInt()).put("bptt", -1);
        Files.writeString(config, JSON.writeValueAsString(json));
        for (String command : new String[] {"generate", "info"}) {
            CliRun r = command.equals("info") ? CliRun.of("info", "--model", run.toString())
                    : CliRun.of("generate", "--model", run.toString(), "--length", "20", "--out", dir.resolve("s.fa").toString());
            assertEquals(1, r.exit(), command);
            String err = r.err().strip();
            assertTrue(err.contains("does not match its config.json (its config asks for recurrent memory, memory=4,")
                    && err.contains("missing from the checkpoint: [memory.memory.weight]"), command + ": " + err);
            assertEquals(1, err.lines().count(), "one line: " + err);
        }
    }

    private static String bits(String out) {
        return out.substring(out.indexOf("):") + 2, out.indexOf(" bits per base"));
    }

    @Test
    void aMaskedModelFineTunesWithMemoryOnRowsLongerThanASegment(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("mlm");
        assertEquals(0, pretrain(base, "mlm").exit());
        Path tuned = dir.resolve("tuned");
        // promoter rows of ~300 bases in segments of 64 tokens with 8 memory tokens: 6 segments each
        CliRun f = CliRun.of("finetune", "--model", base.toString(), "--data", CliRun.resource("promoters").toString(), "--steps", "2",
                "--eval-every", "2", "--batch", "4", "--rmt", "memory=8,segment=64,readout=mean", "--out", tuned.toString());
        assertEquals(0, f.exit(), f.err());
        JsonNode result = JSON.readTree(tuned.resolve("result.json").toFile());
        assertEquals("memory=8,segment=64,bptt=-1,readout=mean", result.get("settings").get("memory").asText(), result.toString());
        CliRun e = CliRun.of("evaluate", "--model", tuned.toString(), "--data", CliRun.resource("promoters").toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains(String.format(Locale.ROOT, "accuracy %.3f", result.get("test").get("accuracy").asDouble())),
                "evaluate reads the memory model and gives fine-tuning's test scores: " + e.out());

        // attention maps are of the transformer on one window that fits a segment
        CliRun maps = CliRun.of("attention", "--model", tuned.toString(), "--sequence", "ACGT".repeat(10), "--out", dir.resolve("maps").toString());
        assertEquals(0, maps.exit(), maps.err());
        CliRun tooLong = CliRun.of("attention", "--model", tuned.toString(), "--sequence", "ACGT".repeat(40), "--out", dir.resolve("maps2").toString());
        assertEquals(1, tooLong.exit());
        assertTrue(tooLong.err().contains("this model reads segments of 64 (recurrent memory, memory=8,segment=64,bptt=-1,readout=mean)"), tooLong.err());

        // with LoRA the encoder stays frozen, and the new memory trains whole beside the head
        Path adapted = dir.resolve("lora");
        CliRun l = CliRun.of("finetune", "--model", base.toString(), "--data", CliRun.resource("promoters").toString(), "--steps", "2",
                "--eval-every", "2", "--batch", "4", "--rmt", "memory=8,segment=64", "--lora", "r=2", "--out", adapted.toString());
        assertEquals(0, l.exit(), l.err());
        JsonNode peft = JSON.readTree(adapted.resolve("adapter_config.json").toFile());
        assertTrue(peft.get("modules_to_save").toString().contains("\"memory\""), peft.toString());
        CliRun le = CliRun.of("evaluate", "--model", adapted.toString(), "--data", CliRun.resource("promoters").toString());
        assertEquals(0, le.exit(), le.err());
        assertTrue(le.out().contains(String.format(Locale.ROOT, "accuracy %.3f",
                JSON.readTree(adapted.resolve("result.json").toFile()).get("test").get("accuracy").asDouble())), le.out());
    }

    @Test
    void badSpecsAreOneClearLine(@TempDir Path dir) {
        for (String[] c : new String[][] {
                {"causal", "memory=4,size=3", "--rmt: unknown key 'size'"},
                {"causal", "memory=20,segment=40", "--rmt: a segment of 40 tokens leaves no room for input beside 20 memory tokens"},
                {"causal", "bptt=-3", "--rmt: BPTT depth must be -1 (all segments) or at least 0, got -3"},
                {"causal", "memory=four", "--rmt: memory must be a whole number, got 'four'"},
                {"mlm", "memory=4,segment=40", "--rmt pretrains causal models"},
                {"causal", "readout=max", "--rmt: unknown memory readout 'max'; use last or mean"},
                {"causal", "memory=0", "--rmt: recurrent memory needs at least one memory token, got 0"},
                {"causal", "memory=-2", "--rmt: recurrent memory needs at least one memory token, got -2"}}) {
            CliRun r = pretrain(dir.resolve("never"), c[0], "--rmt", c[1]);
            assertEquals(1, r.exit(), c[1]);
            assertTrue(r.err().contains(c[2]), c[1] + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        }
    }
}

package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.nn.checkpoint.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A published model after {@code strand import} is a run directory like any other: info, finetune
 * (full and LoRA with the family's own module names), evaluate, score-variants, attention and probe
 * take it, and export writes it back. The models are genomics' tiny Hugging Face fixtures.
 */
class ImportCommandTest {
    static final Path HF = Path.of("../genomics/src/test/resources/hf");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path imported(String fixture) {
        Path run = dir.resolve(fixture);
        CliRun r = CliRun.of("import", HF.resolve(fixture).toString(), "--out", run.toString());
        assertEquals(0, r.exit(), r.err());
        return run;
    }

    @Test
    void dnabert2ImportsAndEveryCommandTakesIt() throws IOException {
        Path run = imported("dnabert2");
        CliRun info = CliRun.of("info", "--model", run.toString());
        assertEquals(0, info.exit(), info.err());
        assertTrue(info.out().contains("architecture: DNABERT-2, imported from") && info.out().contains("MLP 40 (GEGLU), post-LN, ALIBI positions, fused QKV")
                && info.out().contains("tokenizer: hf-bpe, 79 tokens"), info.out());

        // The tokenizer that came with it gives the original's ids.
        JsonNode expected = JSON.readTree(HF.resolve("dnabert2/expected.json").toFile());
        var tokenizer = PretrainedModel.open(run).tokenizer();
        for (int i = 0; i < 3; i++) {
            int[] want = JSON.convertValue(expected.get("token_ids").get(i), int[].class);
            assertArrayEquals(want, tokenizer.encodeWithSpecials(expected.get("sequences").get(i).asText()));
        }

        Path promoters = CliRun.resource("promoters"), tuned = dir.resolve("tuned");
        CliRun f = CliRun.of("finetune", "--model", run.toString(), "--data", promoters.toString(), "--steps", "2", "--eval-every", "2",
                "--batch", "8", "--lora", "r=4,targets=Wqkv", "--out", tuned.toString());
        assertEquals(0, f.exit(), f.err());
        var adapters = SafeTensors.read(tuned.resolve("adapter_model.safetensors")).tensors().keySet();
        assertTrue(adapters.contains("base_model.model.bert.encoder.layer.1.attention.self.Wqkv.lora_A.weight"), adapters.toString());
        CliRun e = CliRun.of("evaluate", "--model", tuned.toString(), "--data", promoters.toString());
        assertEquals(0, e.exit(), e.err());

        Path scores = dir.resolve("scores.tsv");
        CliRun s = CliRun.of("score-variants", "--model", run.toString(), "--fasta", CliRun.resource("chr22_20M_first20kb.fa").toString(),
                "--hisat-snps", CliRun.resource("chr22_20M_first20kb.snp").toString(), "--window", "60", "--out", scores.toString());
        assertEquals(0, s.exit(), s.err());
        assertTrue(Files.readAllLines(scores).size() > 50, "scored variants");
        CliRun a = CliRun.of("attention", "--model", run.toString(), "--sequence", "ACGTACGGTACCATGACGTTAGCATCGATCGATCGGGATC", "--out", dir.resolve("maps").toString());
        assertEquals(0, a.exit(), a.err());
        assertTrue(Files.exists(dir.resolve("maps/sequence/all_heads.png")), a.out());
        CliRun p = CliRun.of("probe", "--model", run.toString(), "--data", promoters.toString());
        assertEquals(0, p.exit(), p.err());
        assertTrue(p.out().contains("layer 2"), p.out());

        Path back = dir.resolve("back");
        CliRun x = CliRun.of("export", run.toString(), "--out", back.toString());
        assertEquals(0, x.exit(), x.err());
        assertEquals(JSON.readTree(HF.resolve("dnabert2/config.json").toFile()), JSON.readTree(back.resolve("config.json").toFile()));
        assertArrayEquals(Files.readAllBytes(HF.resolve("dnabert2/tokenizer.json")), Files.readAllBytes(back.resolve("tokenizer.json")));
    }

    @Test
    void theNucleotideTransformerFineTunesWholeAndWithItsLoraTargets() throws IOException {
        for (String fixture : List.of("nt-v1", "nt-v2")) {
            Path run = imported(fixture), promoters = CliRun.resource("promoters");
            CliRun full = CliRun.of("finetune", "--model", run.toString(), "--data", promoters.toString(), "--steps", "2", "--eval-every", "2",
                    "--batch", "8", "--out", dir.resolve(fixture + "-full").toString());
            assertEquals(0, full.exit(), full.err());
            Path lora = dir.resolve(fixture + "-lora");
            CliRun adapted = CliRun.of("finetune", "--model", run.toString(), "--data", promoters.toString(), "--steps", "2", "--eval-every", "2",
                    "--batch", "8", "--lora", "r=2,targets=query,value", "--out", lora.toString());
            assertEquals(0, adapted.exit(), adapted.err());
            var adapters = SafeTensors.read(lora.resolve("adapter_model.safetensors")).tensors().keySet();
            assertTrue(adapters.contains("base_model.model.esm.encoder.layer.0.attention.self.value.lora_B.weight"), adapters.toString());
        }
    }

    @Test
    void genaLmAndBigBirdFineTuneWithLoraOnQueryAndValue() throws IOException {
        for (String fixture : List.of("gena-bert-lastln", "bigbird")) {
            Path run = imported(fixture), lora = dir.resolve(fixture + "-lora");
            CliRun info = CliRun.of("info", "--model", run.toString());
            assertEquals(0, info.exit(), info.err());
            assertTrue(info.out().contains(fixture.equals("bigbird") ? "BigBird itc layout" : "attention: dense"), info.out());
            // GENA's fixture has 64 positions, BigBird's 128: the 300-bp promoter rows are cut to fit.
            CliRun f = CliRun.of("finetune", "--model", run.toString(), "--data", CliRun.resource("promoters").toString(), "--truncate", "center",
                    "--steps", "2", "--eval-every", "2", "--batch", "8", "--lora", "r=2,targets=query,value", "--out", lora.toString());
            assertEquals(0, f.exit(), f.err());
            var adapters = SafeTensors.read(lora.resolve("adapter_model.safetensors")).tensors().keySet();
            assertTrue(adapters.contains("base_model.model.bert.encoder.layer.1.attention.self.query.lora_A.weight"), adapters.toString());
        }
    }

    @Test
    void aWrongDirectoryIsOneLine() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun r = CliRun.of("import", empty.toString(), "--out", dir.resolve("run").toString());
        assertEquals(1, r.exit());
        assertEquals("strand: " + empty + " has no config.json: expected a Hugging Face model directory", r.err().strip());
    }
}

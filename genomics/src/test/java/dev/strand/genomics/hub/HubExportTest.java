package dev.strand.genomics.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.nn.checkpoint.Checkpoint;
import dev.strand.nn.checkpoint.SafeTensors;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code strand export}: a model Strand trained, written in the ESM layout, is what
 * {@code src/test/resources/hf/export/check_export.py} loads into the reference ESM code with equal
 * outputs (its outputs are committed beside the export); an imported model goes back to its family
 * and imports again to the same numbers.
 *
 * <p>The committed exports are what this code writes today (compared byte for byte); after a
 * deliberate change, rewrite them with {@code -Dstrand.hub.writeExports=true} and rerun the script.
 */
class HubExportTest {
    static final Path EXPORTS = HubParityTest.FIXTURES.resolve("export");
    static final List<String> SEQUENCES = List.of("ACGTTGCAAGCTAGGCTTACGATCGA", "TTGACCAGTAGGA", "GGGCATCGATTACCAGTACGATCAGTTAGC");

    @TempDir
    Path tmp;

    /** A tiny pre-LN model of Strand's own, seeded, with a 3-mer tokenizer, saved as a run directory. */
    static Path strandRun(Path dir, Positions positions) throws IOException {
        Tokenizer tokenizer = new KmerTokenizer(3);
        TransformerConfig config = new TransformerConfig(tokenizer.vocabSize(), 16, 2, 4, 32, 40, 0f, true, positions, 1e-5f);
        BertModel model = new BertModel(config, new Generator(positions.ordinal() + 11));
        for (var p : model.namedParameters().values()) {   // non-trivial norms and biases, so a wrong mapping shows
            if (p.data().dim() == 1) p.data().copyFrom(Tensor.randn(new Generator(p.data().size(0) + 7), p.data().size(0)).mul(0.5f).add(1f));
        }
        Checkpoint.save(dir, 0, model, config, null, Map.of());
        PretrainedModel.describe(dir, tokenizer, PretrainedModel.Objective.MLM);
        return dir;
    }

    @ParameterizedTest
    @ValueSource(strings = {"LEARNED", "ROPE"})
    void strandModelsExportAsEsmThatTheReferenceCodeRunsWithEqualOutputs(String positions) throws IOException {
        Path committed = EXPORTS.resolve("strand-" + positions.toLowerCase(java.util.Locale.ROOT));
        Path out = tmp.resolve("export");
        HubExport.Result r = HubExport.run(strandRun(tmp.resolve("run"), Positions.valueOf(positions)), out);
        assertEquals(HubArchitecture.NUCLEOTIDE_TRANSFORMER, r.family());
        if (Boolean.getBoolean("strand.hub.writeExports")) writeFixture(out, committed);
        for (String f : List.of("config.json", "model.safetensors", "vocab.txt", "special_tokens_map.json", HubExport.STRAND_TOKENIZER)) {
            assertArrayEquals(Files.readAllBytes(committed.resolve(f)), Files.readAllBytes(out.resolve(f)),
                    f + " differs from the committed export; rewrite it with -Dstrand.hub.writeExports=true and rerun check_export.py");
        }
        // PyTorch's outputs for the committed export, compared with Strand's from the run and from the export imported back.
        JsonNode inputs = new ObjectMapper().readTree(committed.resolve("inputs.json").toFile());
        Map<String, Tensor> torch = SafeTensors.read(committed.resolve("expected.safetensors")).tensors();
        BertModel original = PretrainedModel.open(tmp.resolve("run")).loadBert();
        BertModel imported = HubImport.load(out, out.resolve("model.safetensors")).model();
        for (BertModel m : List.of(original, imported)) {
            m.eval();
            HubParityTest.Outputs got = HubParityTest.run(m, inputs);
            HubParityTest.compareRows("hidden states", torch.get("hidden_states"), got.hidden(), got.mask());
            HubParityTest.compareRows("logits", torch.get("logits"), got.logits(), got.mask());
        }
    }

    @Test
    void importedModelsGoBackToTheirFamilyAndImportAgainToTheSameNumbers() throws IOException {
        for (String fixture : List.of("dnabert2", "nt-v1", "gena-bert-lastln")) {
            Path source = HubParityTest.FIXTURES.resolve(fixture), run = tmp.resolve(fixture + "-run"), back = tmp.resolve(fixture + "-export");
            HubImport.run(source, run);
            HubExport.run(run, back);
            assertEquals(new ObjectMapper().readTree(source.resolve("config.json").toFile()), new ObjectMapper().readTree(back.resolve("config.json").toFile()));
            Map<String, Tensor> original = SafeTensors.read(source.resolve("model.safetensors")).tensors(), written = SafeTensors.read(back.resolve("model.safetensors")).tensors();
            for (var e : written.entrySet()) {
                Tensor o = original.get(e.getKey()), w = e.getValue();
                assertTrue(o != null, fixture + ": exported a tensor the original has not: " + e.getKey());
                if (fixture.equals("nt-v1") && e.getKey().endsWith("position_embeddings.weight")) {   // the rows only padding reads come back as zeros
                    o = o.narrow(0, 2, o.size(0) - 2);
                    w = w.narrow(0, 2, w.size(0) - 2);
                }
                assertArrayEquals(o.toFloatArray(), w.toFloatArray(), 0f, fixture + ": " + e.getKey());
            }
            JsonNode expected = new ObjectMapper().readTree(source.resolve("expected.json").toFile());
            BertModel again = HubImport.load(back, back.resolve("model.safetensors")).model();
            again.eval();
            HubParityTest.Outputs got = HubParityTest.run(again, expected);
            HubParityTest.compareRows(fixture + " hidden states", SafeTensors.read(source.resolve("expected.safetensors")).tensors().get("hidden_states"), got.hidden(), got.mask());
        }
    }

    @Test
    void whatEsmCannotHoldIsRefusedByName() throws IOException {
        Path run = tmp.resolve("alibi");
        Tokenizer tokenizer = new KmerTokenizer(3);
        TransformerConfig config = new TransformerConfig(tokenizer.vocabSize(), 8, 1, 2, 16, 20, 0f, true, Positions.ALIBI, 1e-5f);
        Checkpoint.save(run, 0, new BertModel(config, new Generator(1)), config, null, Map.of());
        PretrainedModel.describe(run, tokenizer, PretrainedModel.Objective.MLM);
        Exception e = assertThrows(IllegalArgumentException.class, () -> HubExport.run(run, tmp.resolve("out")));
        assertTrue(e.getMessage().startsWith(run + " has ALIBI positions; export writes Strand's own models in the ESM layout"), e.getMessage());
    }

    /** The committed copy of an export, with the inputs check_export.py runs it on (the tokenizer's ids, right-padded). */
    private static void writeFixture(Path export, Path committed) throws IOException {
        Files.createDirectories(committed);
        for (String f : List.of("config.json", "model.safetensors", "vocab.txt", "special_tokens_map.json", HubExport.STRAND_TOKENIZER)) {
            Files.copy(export.resolve(f), committed.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Tokenizer tokenizer = new KmerTokenizer(3);
        int longest = SEQUENCES.stream().mapToInt(s -> tokenizer.encodeWithSpecials(s).length).max().orElseThrow();
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode ids = root.putArray("input_ids"), mask = root.putArray("attention_mask");
        for (String s : SEQUENCES) {
            int[] t = tokenizer.encodeWithSpecials(s);
            ArrayNode row = ids.addArray(), m = mask.addArray();
            for (int j = 0; j < longest; j++) {
                row.add(j < t.length ? t[j] : tokenizer.pad());
                m.add(j < t.length ? 1 : 0);
            }
        }
        root.putArray("sequences").addAll(SEQUENCES.stream().map(json.getNodeFactory()::textNode).toList());
        json.writerWithDefaultPrettyPrinter().writeValue(committed.resolve("inputs.json").toFile(), root);
    }
}

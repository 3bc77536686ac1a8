package dev.strand.genomics.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strand.nn.checkpoint.SafeTensors;
import dev.strand.nn.checkpoint.TorchFormatException;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong or partial model directory stops the import with one line naming what is wrong, and writes nothing. */
class HubImportErrorsTest {
    @TempDir
    Path tmp;

    /** A copy of the GENA-LM fixture with its config edited. */
    private Path gena(Consumer<ObjectNode> edit) throws IOException {
        Path src = HubParityTest.FIXTURES.resolve("gena-bert"), dir = Files.createTempDirectory(tmp, "model");
        for (String f : new String[] {"config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "model.safetensors", "pytorch_model.bin"}) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(dir.resolve("config.json").toFile());
        edit.accept(config);
        json.writeValue(dir.resolve("config.json").toFile(), config);
        return dir;
    }

    private String refusal(Path dir) {
        Path out = tmp.resolve("run");
        Exception e = assertThrows(IllegalArgumentException.class, () -> HubImport.run(dir, out));
        assertFalse(Files.exists(out), "nothing written for a refused import");
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void aDirectoryWithoutConfigIsNamed() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        assertEquals(dir + " has no config.json: expected a Hugging Face model directory", refusal(dir));
    }

    @Test
    void unknownOrUnsupportedFamiliesAreRefusedByName() throws IOException {
        assertTrue(refusal(gena(c -> c.put("model_type", "llama"))).contains("unknown \"model_type\" \"llama\"; Strand imports DNABERT-2"));
        assertTrue(refusal(gena(c -> c.put("sparse_config_cls", "deepspeed.ops.sparse_attention:FixedSparsityConfig")))
                .endsWith("\"sparse_config_cls\" is deepspeed.ops.sparse_attention:FixedSparsityConfig; Strand imports DeepSpeed's BigBirdSparsityConfig"));
        assertTrue(refusal(gena(c -> c.put("model_type", "big_bird").put("rescale_embeddings", true))).endsWith("\"rescale_embeddings\" true is not supported (embeddings scaled by the square root of the width)"));
    }

    @Test
    void aMissingTensorIsNamedWithItsStrandName() throws IOException {
        String m = refusal(gena(c -> c.put("num_hidden_layers", 3)));
        assertTrue(m.endsWith("model.safetensors has no tensor bert.encoder.layer.2.attention.self.query.weight (Strand's encoder.layers.2.attention.query.weight), "
                + "which a GENA-LM BERT model of this config.json needs"), m);
    }

    @Test
    void aShapeThatDoesNotFitNamesBothShapes() throws IOException {
        String m = refusal(gena(c -> c.put("vocab_size", 90)));
        assertTrue(m.endsWith("model.safetensors: bert.embeddings.word_embeddings.weight is [81, 16] but config.json makes it [90, 16] (Strand's encoder.tokens.weight)"), m);
    }

    @Test
    void aFieldStrandCannotReproduceIsRefused() throws IOException {
        String m = refusal(gena(c -> c.put("hidden_act", "relu")));
        assertTrue(m.endsWith("config.json: \"hidden_act\" is \"relu\"; Strand imports this architecture only with \"gelu\""), m);
    }

    @Test
    void rotaryFrequenciesOfAnotherBaseAreRefused() throws IOException {
        Path src = HubParityTest.FIXTURES.resolve("nt-v2"), dir = Files.createTempDirectory(tmp, "nt");
        for (String f : new String[] {"config.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"}) Files.copy(src.resolve(f), dir.resolve(f));
        var tensors = new java.util.LinkedHashMap<>(SafeTensors.read(src.resolve("model.safetensors")).tensors());
        tensors.put("esm.encoder.layer.1.attention.self.rotary_embeddings.inv_freq", Tensor.of(new float[] {1f, 0.001f}, 2));
        SafeTensors.write(dir.resolve("model.safetensors"), tensors, java.util.Map.of("format", "pt"));
        assertTrue(refusal(dir).endsWith("esm.encoder.layer.1.attention.self.rotary_embeddings.inv_freq is not the rotary frequencies of base 10000.0 "
                + "over 4 features, which config.json makes Strand's rotary positions"));
    }

    @Test
    void aSparseLayoutThatIsNotBigBirdsIsRefused() throws IOException {
        Path src = HubParityTest.FIXTURES.resolve("gena-sparse"), dir = Files.createTempDirectory(tmp, "sparse");
        for (String f : new String[] {"config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}) Files.copy(src.resolve(f), dir.resolve(f));
        var tensors = new java.util.LinkedHashMap<>(SafeTensors.read(src.resolve("model.safetensors")).tensors());
        String name = "bert.encoder.layer.0.attention.self.sparse_self_attention.master_layout";
        int[] layout = tensors.get(name).toIntArray();
        layout[(16 + 5) * 16] = 0;                                        // head 1, block 5 no longer reads global block 0
        tensors.put(name, Tensor.ofInts(layout, 2, 16, 16));
        SafeTensors.write(dir.resolve("model.safetensors"), tensors, java.util.Map.of("format", "pt"));
        assertTrue(refusal(dir).endsWith(name + ": head 1, block 5 does not read block 0, which BigBird's global blocks (2) and window (3) require"));
    }

    @Test
    void aTruncatedPickleArchiveIsOneClearLine() throws IOException {
        Path dir = gena(c -> {});
        Files.delete(dir.resolve("model.safetensors"));
        byte[] bin = Files.readAllBytes(dir.resolve("pytorch_model.bin"));
        Files.write(dir.resolve("pytorch_model.bin"), Arrays.copyOf(bin, bin.length / 2));
        Exception e = assertThrows(TorchFormatException.class, () -> HubImport.run(dir, tmp.resolve("run")));
        assertTrue(e.getMessage().contains("pytorch_model.bin") && !e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("run")));
    }
}

package dev.strand.cli;

import static dev.strand.cli.FinetuneCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strand.cli.FinetuneCommandTest.Run;
import dev.strand.nn.checkpoint.SafeTensors;
import dev.strand.nn.lora.LoraConfig;
import dev.strand.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * finetune --lora end to end on the real promoter cut: the encoder stays as it was, PEFT's files
 * are written, evaluate reads the adapter run and reproduces its test metrics, --merge writes a
 * plain model with the same predictions, and bad specs fail in one line.
 */
class LoraFinetuneTest {
    private static final JsonMapper JSON = new JsonMapper();

    @TempDir
    static Path dir;
    static Path pretrained, promoters;

    @BeforeAll
    static void pretrainATinyModel() throws Exception {
        promoters = FinetuneCommandTest.promoterCut();
        pretrained = FinetuneCommandTest.pretrainTiny(dir.resolve("pretrain"));
    }

    private static Run finetune(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("finetune", "--model", pretrained.toString(), "--data", promoters.toString(),
                "--steps", "4", "--eval-every", "2", "--batch", "8", "--lr", "1e-3", "--dropout", "0", "--seed", "3", "--out", out.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    @Test
    void adaptersTrainWhileTheEncoderStaysAndEvaluateReadsThem() throws Exception {
        Path out = dir.resolve("lora");
        Run r = finetune(out, "--lora", "r=4,alpha=8,dropout=0.05,targets=query,key,value,dense");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("LoRA (r=4,alpha=8,dropout=0.05,targets=query,key,value,dense): "), r.out());
        for (String f : List.of("adapter_config.json", "adapter_model.safetensors", "head.json", "result.json")) assertTrue(Files.exists(out.resolve(f)), f);

        Map<String, Tensor> base = SafeTensors.read(pretrained.resolve("step-0000002/model.safetensors")).tensors();
        Path checkpoint = out.resolve(Files.readString(out.resolve("latest")).trim());
        Map<String, Tensor> tuned = SafeTensors.read(checkpoint.resolve("model.safetensors")).tensors();
        Tensor before = base.get("encoder.layers.0.attention.query.weight"), after = tuned.get("encoder.layers.0.attention.query.weight");
        assertTrue(java.util.Arrays.equals(before.toFloatArray(), after.toFloatArray()), "the frozen base weight is unchanged");
        Tensor b = tuned.get("encoder.layers.0.attention.query.lora_B.weight");
        assertTrue(b.abs().sum().item() > 0, "B has learned");

        Map<String, Tensor> adapter = SafeTensors.read(out.resolve("adapter_model.safetensors")).tensors();
        assertTrue(adapter.containsKey("base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight"), adapter.keySet().toString());
        assertTrue(adapter.containsKey("base_model.model.classifier.weight"), "the head is saved with the adapter: " + adapter.keySet());
        JsonNode config = JSON.readTree(out.resolve("adapter_config.json").toFile());
        assertEquals(4, config.get("r").asInt());
        assertEquals("SEQ_CLS", config.get("task_type").asText());
        JsonNode result = JSON.readTree(out.resolve("result.json").toFile());
        double share = result.get("settings").get("lora").get("trainable_share").asDouble();
        assertTrue(share > 0 && share < 0.5, "trainable share " + share);

        Run info = run("info", "--model", out.toString());
        assertEquals(0, info.exit(), info.err());
        assertTrue(info.out().contains("(LoRA adapters)") && info.out().matches("(?s).*trainable params: [0-9,]+ \\|\\| all params: [0-9,]+ \\|\\| trainable%: [0-9.]+.*"),
                info.out());

        Run e = run("evaluate", "--model", out.toString(), "--data", promoters.toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.3f", result.get("test").get("accuracy").asDouble())), e.out());

        Path maps = dir.resolve("maps");
        Run a = run("attention", "--model", out.toString(), "--sequence", "ACGTTGCATGCATTTACGGA", "--out", maps.toString());
        assertEquals(0, a.exit(), a.err());
        assertTrue(Files.exists(maps.resolve("sequence").resolve("scores.tsv")), "attention maps of the adapted encoder: " + a.out());

        Path merged = dir.resolve("merged");
        Run m = finetune(merged, "--lora", "r=4,alpha=8,dropout=0.05,targets=query,key,value,dense", "--merge");
        assertEquals(0, m.exit(), m.err());
        assertFalse(Files.exists(merged.resolve("adapter_config.json")), "a merged model is a plain one");
        Map<String, Tensor> plain = SafeTensors.read(merged.resolve(Files.readString(merged.resolve("latest")).trim()).resolve("model.safetensors")).tensors();
        assertTrue(plain.keySet().stream().noneMatch(k -> k.contains("lora_")), plain.keySet().toString());
        JsonNode mergedResult = JSON.readTree(merged.resolve("result.json").toFile());
        Run me = run("evaluate", "--model", merged.toString(), "--data", promoters.toString());
        assertEquals(0, me.exit(), me.err());
        assertTrue(me.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.3f", mergedResult.get("test").get("accuracy").asDouble())), me.out());
        assertEquals(result.get("test").get("accuracy").asDouble(), mergedResult.get("test").get("accuracy").asDouble(), 1e-9,
                "the same training, merged or not, scores the same");
    }

    @Test
    void badSpecsTargetsAndAdaptersAreOneClearLine() throws Exception {
        for (String[] c : new String[][] {
                {"r=0", "LoRA rank r must be at least 1, got 0"},
                {"r=2.5", "--lora: r must be a number (a whole one), got '2.5'"},
                {"rank=4", "--lora: unknown key 'rank'"},
                {"targets=Wqkv", "LoRA targets Wqkv match no linear layer; the linear layers are: encoder.layers.0.attention.query (bert.encoder.layer.0.attention.self.query)"}}) {
            Run r = finetune(dir.resolve("never"), "--lora", c[0]);
            assertEquals(1, r.exit(), c[0] + ": " + r.err());
            List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(1, lines.size(), "one line: " + r.err());
            assertTrue(lines.get(0).contains(c[1]), c[0] + " → " + lines.get(0));
        }
        Path malformed = dir.resolve("malformed-adapter"), other = dir.resolve("other-adapter");
        Files.createDirectories(malformed);
        Files.writeString(malformed.resolve("adapter_config.json"), "{\"r\": 2, \"target_modules\": [\"query\"");
        Files.createDirectories(other);
        Files.writeString(other.resolve("adapter_config.json"), "{\"peft_type\": \"LORA\", \"r\": 2, \"lora_alpha\": 4, \"target_modules\": [\"query\"]}");
        String layer = "base_model.model.bert.encoder.layer.0.attention.self.query.";
        SafeTensors.write(other.resolve("adapter_model.safetensors"), Map.of(layer + "lora_A.weight", Tensor.zeros(2, 48), layer + "lora_B.weight", Tensor.zeros(48, 2)),
                Map.of());
        for (String[] c : new String[][] {
                {malformed.toString(), "adapter_config.json is not valid JSON"},
                {other.toString(), "is [2, 48] but encoder.layers.0.attention.query.lora_A.weight here is [2, 16]; the adapter was made for another base model"}}) {
            Run r = run("info", "--model", pretrained.toString(), "--adapter", c[0]);
            assertEquals(1, r.exit(), r.err());
            List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(1, lines.size(), "one line: " + r.err());
            assertTrue(lines.get(0).contains(c[1]), lines.get(0));
        }

        Run m = finetune(dir.resolve("never"), "--merge");
        assertTrue(m.exit() == 1 && m.err().contains("--merge needs --lora"), m.err());
    }

    @Test
    void specsParseToPeftsSettings() {
        LoraConfig c = LoraSpec.parse("r=8,alpha=16,dropout=0.05,targets=query,key,value,dense");
        assertEquals(8, c.r());
        assertEquals(16f, c.alpha());
        assertEquals(0.05f, c.dropout());
        assertEquals(List.of("query", "key", "value", "dense"), c.targets().names());
        LoraConfig defaults = LoraSpec.parse("");
        assertEquals(List.of("query", "value"), defaults.targets().names(), "PEFT's default targets for BERT");
        assertEquals(8f / 8, defaults.scaleOf("x"), "α 8 over r 8");
        assertEquals(".*value", LoraSpec.parse("targets=/.*value/,rslora").targets().regex());
        assertTrue(LoraSpec.parse("rslora,r=4,alpha=8").useRslora());
    }
}

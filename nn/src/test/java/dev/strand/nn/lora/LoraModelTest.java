package dev.strand.nn.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.GradMode;
import dev.strand.autograd.Variable;
import dev.strand.nn.checkpoint.SafeTensors;
import dev.strand.nn.loss.Losses;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.SequenceHead;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.nn.transformer.Transformer;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA on a whole model: targets by name, what trains, PEFT's files both ways, and the errors. */
class LoraModelTest {
    private static final TransformerConfig TINY = new TransformerConfig(12, 16, 2, 4, 32, 20, 0f, true, Positions.LEARNED, 1e-5f);
    private static final Tensor IDS = Tensor.ofInts(new int[] {1, 5, 7, 2, 3, 9, 4, 4, 8, 2, 6, 1}, 2, 6);

    /** The same base weights every call (seed 1), a classifier head on mean pooling. */
    private static SequenceModel model() {
        Generator g = new Generator(1);
        return new SequenceModel(new Transformer(TINY, g), new SequenceHead(16, 3, SequenceHead.Pooling.MEAN, 0f, g));
    }

    private static LoraConfig qkvDense() {
        return LoraConfig.of(LoraConfig.Targets.of("query", "key", "value", "dense")).withRank(4, 16f).withModulesToSave(List.of("classifier"), "SEQ_CLS");
    }

    @Test
    void targetsAreChosenByNameAndOnlyAdaptersAndTheHeadTrain() {
        SequenceModel m = model();
        Set<String> before = m.namedParameters().keySet();
        var adapted = Lora.apply(m, qkvDense(), ModuleNames.HUGGING_FACE_BERT, new Generator(2));
        assertEquals(12, adapted.size(), "query, key, value, attention output and both feed-forward layers of 2 blocks: " + adapted.keySet());
        assertTrue(adapted.containsKey("encoder.layers.1.ffn.linear2") && !adapted.containsKey("head.output"), adapted.keySet().toString());
        assertTrue(m.namedParameters().keySet().containsAll(before), "base names unchanged");
        assertTrue(m.namedParameters().containsKey("encoder.layers.0.attention.query.lora_A.weight"));
        m.namedParameters().forEach((name, p) -> {
            boolean shouldTrain = name.contains(".lora_") || name.startsWith("head.");
            assertEquals(shouldTrain, p.requiresGrad(), name);
        });

        // One AdamW step: frozen parameters get no gradient and hold no state.
        AdamW opt = AdamW.adamW(m.namedParameters(), 1e-2f, 0.01f);
        Variable loss = Losses.crossEntropy(m.forward(IDS, null), Tensor.ofInts(new int[] {0, 2}, 2));
        loss.backward();
        opt.step();
        assertTrue(m.encoder.tokenEmbedding().weight.grad() == null, "no gradient for a frozen embedding");
        for (String k : opt.state().keySet()) assertTrue(k.contains(".lora_") || k.contains("/head."), "state for " + k);
        assertFalse(opt.state().isEmpty());
    }

    @Test
    void regexAndSuffixTargetsFollowPeft() {
        LoraConfig.Targets suffix = LoraConfig.Targets.of("value");
        assertTrue(suffix.matches("encoder.layers.0.attention.value") && suffix.matches("value"));
        assertFalse(suffix.matches("encoder.layers.0.attention.qvalue"), "a suffix only at a dot boundary");
        LoraConfig.Targets regex = LoraConfig.Targets.regex(".*layers\\.1\\.attention\\.(query|value)");
        assertTrue(regex.matches("encoder.layers.1.attention.query"));
        assertFalse(regex.matches("encoder.layers.0.attention.query"), "the expression matches the whole name");
        LoraConfig patterned = new LoraConfig(8, 16f, 0f, suffix, false, Map.of("layers\\.1\\.attention\\.value", 2), Map.of("value", 4f),
                List.of(), "SEQ_CLS", "");
        assertEquals(2, patterned.rankOf("encoder.layers.1.attention.value"));
        assertEquals(8, patterned.rankOf("encoder.layers.0.attention.value"));
        assertEquals(4f / 2, patterned.scaleOf("encoder.layers.1.attention.value"));
    }

    @Test
    void aTargetThatMatchesNothingListsTheLinearLayers() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Lora.apply(model(), LoraConfig.of(LoraConfig.Targets.of("Wqkv")), ModuleNames.HUGGING_FACE_BERT, new Generator(1)));
        assertTrue(e.getMessage().startsWith("LoRA targets Wqkv match no linear layer; the linear layers are: encoder.layers.0.attention.query "
                + "(bert.encoder.layer.0.attention.self.query),"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoraConfig.of(LoraConfig.Targets.of("query")).withRank(0, 8f), "r must be positive");
    }

    @Test
    void anAdapterSavedInPeftsLayoutLoadsOntoTheSameBase(@TempDir Path dir) throws Exception {
        SequenceModel trained = model();
        LoraConfig config = qkvDense().withBaseModel("strand-tiny");
        Lora.apply(trained, config, ModuleNames.HUGGING_FACE_BERT, new Generator(2));
        Generator g = new Generator(3);
        Lora.adapters(trained).values().forEach(a -> a.b.weight.data().copyFrom(Tensor.randn(g, a.b.weight.shape()).mul(0.1f)));
        trained.head.output.weight.data().copyFrom(Tensor.randn(g, 3, 16));
        PeftAdapter.save(dir, trained, config, ModuleNames.HUGGING_FACE_BERT);

        Map<String, Tensor> file = SafeTensors.read(dir.resolve(PeftAdapter.WEIGHTS)).tensors();
        assertArrayEquals(new int[] {4, 16}, file.get("base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight").shape());
        assertArrayEquals(new int[] {32, 4}, file.get("base_model.model.bert.encoder.layer.1.intermediate.dense.lora_B.weight").shape());
        assertTrue(file.containsKey("base_model.model.classifier.weight") && file.containsKey("base_model.model.classifier.bias"), file.keySet().toString());
        assertEquals(12 * 2 + 2, file.size(), "A and B of 12 layers and the head, nothing of the frozen base");
        String json = Files.readString(dir.resolve(PeftAdapter.CONFIG));
        assertTrue(json.contains("\"peft_type\" : \"LORA\"") && json.contains("\"lora_alpha\" : 16.0") && json.contains("\"base_model_name_or_path\" : \"strand-tiny\""), json);

        SequenceModel loaded = model();
        LoraConfig read = PeftAdapter.load(dir, loaded, ModuleNames.HUGGING_FACE_BERT);
        assertEquals(config, read);
        try (var noGrad = GradMode.off()) {
            trained.eval();
            loaded.eval();
            assertArrayEquals(trained.forward(IDS, null).data().toFloatArray(), loaded.forward(IDS, null).data().toFloatArray());
            Lora.merge(loaded);
            float[] merged = loaded.forward(IDS, null).data().toFloatArray(), unmerged = trained.forward(IDS, null).data().toFloatArray();
            for (int i = 0; i < merged.length; i++) assertEquals(unmerged[i], merged[i], 1e-5f * Math.max(1, Math.abs(unmerged[i])), "merged output " + i);
        }
    }

    @Test
    void anAdapterForAnotherBaseOrAMalformedConfigIsOneClearError(@TempDir Path dir) throws Exception {
        SequenceModel trained = model();
        Lora.apply(trained, qkvDense(), ModuleNames.HUGGING_FACE_BERT, new Generator(2));
        PeftAdapter.save(dir, trained, qkvDense(), ModuleNames.HUGGING_FACE_BERT);
        Generator g = new Generator(1);
        SequenceModel wider = new SequenceModel(new Transformer(new TransformerConfig(12, 32, 2, 4, 64, 20, 0f, true, Positions.LEARNED, 1e-5f), g),
                new SequenceHead(32, 3, SequenceHead.Pooling.MEAN, 0f, g));
        var e = assertThrows(IllegalArgumentException.class, () -> PeftAdapter.load(dir, wider, ModuleNames.HUGGING_FACE_BERT));
        assertTrue(e.getMessage().matches(".*: tensor base_model\\.model\\.bert\\.encoder\\.layer\\.0\\.\\S+\\.lora_A\\.weight is \\[4, 16\\] but "
                + "encoder\\.layers\\.0\\.\\S+\\.lora_A\\.weight here is \\[4, 32\\]; the adapter was made for another base model"), e.getMessage());

        Files.writeString(dir.resolve(PeftAdapter.CONFIG), "{\"r\": 8, \"lora_alpha\": 16, \"target_modules\": 7}");
        e = assertThrows(IllegalArgumentException.class, () -> PeftAdapter.load(dir, model(), ModuleNames.HUGGING_FACE_BERT));
        assertTrue(e.getMessage().endsWith("is not a LoRA adapter config: target_modules must be a list of names"), e.getMessage());
        Files.writeString(dir.resolve(PeftAdapter.CONFIG), "{\"r\": 0, \"target_modules\": [\"query\"]}");
        e = assertThrows(IllegalArgumentException.class, () -> PeftAdapter.load(dir, model(), ModuleNames.HUGGING_FACE_BERT));
        assertTrue(e.getMessage().endsWith("LoRA rank r must be at least 1, got 0"), e.getMessage());
        Files.writeString(dir.resolve(PeftAdapter.CONFIG), "{\"r\": 8,");
        e = assertThrows(IllegalArgumentException.class, () -> PeftAdapter.load(dir, model(), ModuleNames.HUGGING_FACE_BERT));
        assertTrue(e.getMessage().contains("adapter_config.json is not valid JSON"), e.getMessage());
    }

    @Test
    void onABertBaseSizedModelQueryAndValueAdaptersAreUnderHalfAPercent() {
        TransformerConfig base = new TransformerConfig(30522, 768, 12, 12, 3072, 512, 0f, false, Positions.LEARNED, 1e-12f);
        Generator g = new Generator(1);
        SequenceModel m = new SequenceModel(new Transformer(base, g), new SequenceHead(768, 2, SequenceHead.Pooling.CLS, 0f, g));
        Lora.apply(m, LoraConfig.of(LoraConfig.Targets.of("query", "value")), ModuleNames.IDENTITY, g);
        long adapters = 12L * 2 * (8 * 768 + 768 * 8);
        assertEquals(adapters, m.trainableParameterCount(), "the adapters alone: no module to save, so the head is frozen too, as in PEFT");
        String summary = Lora.trainableSummary(m);
        double share = 100.0 * m.trainableParameterCount() / m.parameterCount();
        assertTrue(share < 0.5, summary);
        assertTrue(summary.startsWith("trainable params: 294,912 || all params: "), "PEFT's count for BERT-base: " + summary);
    }
}

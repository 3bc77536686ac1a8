package dev.strand.genomics.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.GradMode;
import dev.strand.genomics.data.TokenRows;
import dev.strand.genomics.tasks.FineTuningData;
import dev.strand.genomics.tokenize.NucleotideTokenizer;
import dev.strand.nn.LoraAdapter;
import dev.strand.nn.lora.Lora;
import dev.strand.nn.lora.LoraConfig;
import dev.strand.nn.lora.ModuleNames;
import dev.strand.nn.lora.PeftAdapter;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.SequenceHead;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A language model with a LoRA adapter put on it ({@link PretrainedModel#withAdapter}): it gives
 * the outputs of the adapted model that saved the adapter, fine-tuning starts from its merged
 * weights, and adapters that do not fit fail naming what does not.
 */
class PretrainedAdapterTest {
    private static final Tensor IDS = TokenRows.padded(List.of(new NucleotideTokenizer().encodeWithSpecials("ACGTACGGT")), 0);   // [1, T]

    /** Saves an adapter on {@code base}'s model whose B is random, so it changes the outputs; returns the adapted model. */
    private static BertModel adaptAndSave(PretrainedModel base, Path dir) throws Exception {
        BertModel model = base.loadBert();
        Map<String, LoraAdapter> adapters = Lora.apply(model, LoraConfig.of(LoraConfig.Targets.of("query", "value")).withRank(2, 4), ModuleNames.HUGGING_FACE_BERT,
                new Generator(7));
        Generator gen = new Generator(8);
        adapters.values().forEach(a -> a.b.weight.data().copyFrom(Tensor.randn(gen, a.b.weight.data().shape())));
        PeftAdapter.save(dir, model, LoraConfig.of(LoraConfig.Targets.of("query", "value")).withRank(2, 4), ModuleNames.HUGGING_FACE_BERT);
        return model;
    }

    private static float[] logits(BertModel model) {
        model.eval();
        try (var off = GradMode.off()) {
            return model.mlmLogits(IDS, null).data().toFloatArray();
        }
    }

    @Test
    void theAdapterComesBackOnTheLanguageModel(@TempDir Path dir) throws Exception {
        PretrainedModel base = PlantedTasks.pretrainedRun(dir.resolve("pre"), PlantedTasks.tinyConfig(Positions.ROPE, 64));
        BertModel adapted = adaptAndSave(base, dir.resolve("adapter"));

        PretrainedModel withAdapter = base.withAdapter(dir.resolve("adapter"));
        float[] loaded = logits(withAdapter.loadBert());
        assertArrayEquals(logits(adapted), loaded, 0f, "the same weights and adapters give the same logits");
        float[] plain = logits(base.loadBert());
        assertTrue(maxDifference(plain, loaded) > 1e-3, "the adapter changes the model");
        assertTrue(withAdapter.source().endsWith(" + " + dir.resolve("adapter").toAbsolutePath()), withAdapter.source());
        assertEquals(base.checkpoint(), withAdapter.checkpoint());
    }

    @Test
    void fineTuningStartsFromTheMergedWeights(@TempDir Path dir) throws Exception {
        PretrainedModel base = PlantedTasks.pretrainedRun(dir.resolve("pre"), PlantedTasks.tinyConfig(Positions.ROPE, 64));
        BertModel adapted = adaptAndSave(base, dir.resolve("adapter"));
        FineTuningData data = PlantedTasks.motifTask(64, 16);
        FineTuning.Settings once = FineTuning.Settings.builder().lr(1e-9f).dropout(0f).batch(8).steps(1).pooling(SequenceHead.Pooling.MEAN)
                .evaluation(1, 0).calibrate(false).build();
        FineTuning.run(base.withAdapter(dir.resolve("adapter")), data, once, dir.resolve("ft"), FineTuning.Listener.NONE);

        FineTunedModel tuned = FineTunedModel.open(dir.resolve("ft"));
        assertTrue(tuned.head().base().contains(" + "), "the adapter is named where the encoder came from: " + tuned.head().base());
        Lora.merge(adapted);
        Tensor expected = adapted.encoder.stateDict().get("layers.1.attention.query.weight");
        Tensor got = tuned.load().encoder.stateDict().get("layers.1.attention.query.weight");
        assertArrayEquals(expected.toFloatArray(), got.toFloatArray(), 1e-6f, "one step at lr 1e-9 leaves the merged weight");

        IllegalArgumentException asModel = assertThrows(IllegalArgumentException.class, () -> PretrainedModel.open(tuned.checkpoint()));
        assertTrue(asModel.getMessage().contains("is a fine-tuned model"), asModel.getMessage());
        IllegalArgumentException asAdapter = assertThrows(IllegalArgumentException.class, () -> base.withAdapter(dir.resolve("ft")));
        assertTrue(asAdapter.getMessage().contains("is a fine-tuned run"), asAdapter.getMessage());
    }

    @Test
    void adaptersThatDoNotFitAreRefusedNamingWhy(@TempDir Path dir) throws Exception {
        PretrainedModel base = PlantedTasks.pretrainedRun(dir.resolve("pre"), PlantedTasks.tinyConfig(Positions.ROPE, 64));
        TransformerConfig tiny = PlantedTasks.tinyConfig(Positions.ROPE, 64);
        PretrainedModel wider = PlantedTasks.pretrainedRun(dir.resolve("wider"), new TransformerConfig(tiny.vocabSize(), 48, tiny.layers(),
                tiny.heads(), 96, tiny.maxLength(), 0f, true, Positions.ROPE, 1e-5f));
        adaptAndSave(wider, dir.resolve("other"));
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class, () -> base.withAdapter(dir.resolve("other")).loadBert());
        assertTrue(shapes.getMessage().contains("[2, 48]") && shapes.getMessage().contains("[2, 32]")
                && shapes.getMessage().contains("the adapter was made for another base model"), shapes.getMessage());

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> base.withAdapter(dir.resolve("pre")));
        assertTrue(none.getMessage().contains("no adapter_config.json"), none.getMessage());
    }

    private static float maxDifference(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}

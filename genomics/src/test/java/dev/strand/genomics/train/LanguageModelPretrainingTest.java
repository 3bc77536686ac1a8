package dev.strand.genomics.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.RandomDna;
import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.io.FastaGenome;
import dev.strand.genomics.io.FastaRecord;
import dev.strand.genomics.tokenize.NucleotideTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.train.LanguageModelPretraining.OptimizerKind;
import dev.strand.genomics.train.LanguageModelPretraining.ScheduleKind;
import dev.strand.genomics.train.LanguageModelPretraining.Settings;
import dev.strand.genomics.train.PretrainedModel.Objective;
import dev.strand.nn.checkpoint.SafeTensors;
import dev.strand.nn.optim.Schedule;
import dev.strand.nn.transformer.GptModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Causal pretraining with control tags: exact resume under each optimizer and schedule, the schedules' rates, validation units. */
class LanguageModelPretrainingTest {
    static final List<String> TAGS = List.of("<src=a>", "<src=b>");
    static final Tokenizer TOK = new NucleotideTokenizer(TAGS);

    static PretrainingWindows windows() {
        FastaGenome a = FastaGenome.fromRecords("a", List.of(new FastaRecord("a1", "", RandomDna.random(2000, 1))));
        FastaGenome b = FastaGenome.fromRecords("b", List.of(new FastaRecord("b1", "", RandomDna.random(1500, 2))));
        return new PretrainingWindows(List.of(a, b), 24, PretrainingWindows.HeldOut.lastFraction(0.1), PretrainingWindows.NPolicy.SKIP_ANY);
    }

    static TransformerConfig config() {
        return LanguageModelPretraining.config(TOK, 24, 1, 16, 1, 2, Positions.ROPE, 0.1f);
    }

    private static LanguageModelPretraining run(Settings s) {
        return new LanguageModelPretraining(config(), TOK, windows(), List.of(List.of(TAGS.get(0)), List.of(TAGS.get(1))), s);
    }

    @ParameterizedTest
    @CsvSource({"ADAMW, COSINE", "ADAM, LINEAR", "SGD, CYCLIC"})
    void causalRunResumedFromACheckpointEndsWithTheSameWeights(OptimizerKind optimizer, ScheduleKind schedule, @TempDir Path dir) throws Exception {
        Settings s = new Settings(Objective.CAUSAL, 6, 4, 3e-3f, 2, optimizer, schedule, 0, 3, 8, 11);
        Path straight = dir.resolve("straight"), resumed = dir.resolve("resumed");
        List<Float> rates = new ArrayList<>();
        run(s).run(straight, new LanguageModelPretraining.Listener() {
            @Override
            public void step(StepReport r) {
                rates.add(r.lr());
            }
        });
        Schedule expected = switch (schedule) {
            case COSINE -> Schedule.warmupCosine(3e-3f, 2, 6, 3e-4f);
            case LINEAR -> Schedule.warmupLinear(3e-3f, 2, 6);
            case CYCLIC -> Schedule.cyclical(3e-4f, 3e-3f, 1);
        };
        for (int i = 0; i < 6; i++) assertEquals(expected.lr(i), rates.get(i), 1e-9f, "rate at step " + i);

        Files.createDirectories(resumed.resolve("step-0000003"));
        try (var files = Files.list(straight.resolve("step-0000003"))) {
            for (Path p : files.toList()) Files.copy(p, resumed.resolve("step-0000003").resolve(p.getFileName()));
        }
        Files.writeString(resumed.resolve("latest"), "step-0000003\n");
        LanguageModelPretraining again = run(s);
        assertTrue(again.resume(resumed, false));
        assertEquals(3, again.step());
        again.run(resumed, new LanguageModelPretraining.Listener() {});
        Map<String, Tensor> a = SafeTensors.read(straight.resolve("step-0000006/model.safetensors")).tensors();
        Map<String, Tensor> b = SafeTensors.read(resumed.resolve("step-0000006/model.safetensors")).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
    }

    @Test
    void causalValidationReportsNextTokenLossAndBitsPerBase() {
        LanguageModelPretraining run = run(Settings.of(Objective.CAUSAL, 1, 4, 1e-3f, 3));
        assertTrue(run.model() instanceof GptModel);
        LanguageModelPretraining.Validation v = run.validate();
        assertEquals((8 + 6) * 24, v.scored(), "every base of the 8 + 6 held-out windows (last 200 and 150 bases) is a target; tags, [CLS] and [SEP] are not");
        assertEquals(v.loss() / Math.log(2), v.bitsPerBase(), 1e-9, "one base per token");
        assertTrue(v.loss() > 1.0 && v.loss() < 4.0, "an untrained model is near uniform over the vocabulary: " + v.loss());
    }

    @Test
    void tagsMustBeTheTokenizers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LanguageModelPretraining(config(), TOK, windows(),
                List.of(List.of("<src=c>"), List.of()), Settings.of(Objective.CAUSAL, 1, 1, 1e-3f, 1)));
        assertTrue(e.getMessage().contains("<src=c>"), e.getMessage());
        assertEquals(OptimizerKind.SGD, OptimizerKind.parse("sgd"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScheduleKind.parse("step")).getMessage().contains("cosine, linear or cyclic"));
    }
}

package dev.strand.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.Variable;
import dev.strand.nn.Linear;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.optim.Optimizer;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No checkpoint is written with, or loaded from, a NaN or an infinity, and damaged JSON beside the weights names its file. */
class CheckpointGuardsTest {
    record Config(int in) {}

    @Test
    void aModelOrOptimizerStateWithANonFiniteValueIsNeverCheckpointed(@TempDir Path run) throws Exception {
        Linear model = new Linear(3, 2, true, new Generator(1));
        Optimizer adam = AdamW.adamW(model.namedParameters(), 0.01f, 0f);
        model.forward(Variable.constant(Tensor.ones(1, 3))).sum().backward();
        adam.step();
        Checkpoint.save(run, 1, model, new Config(3), adam, Map.of());

        float[] w = model.weight.data().toFloatArray();
        w[4] = Float.NaN;
        model.weight.data().copyFrom(Tensor.of(w).view(2, 3));
        var e = assertThrows(IllegalStateException.class, () -> Checkpoint.save(run, 2, model, new Config(3), adam, Map.of()));
        assertTrue(e.getMessage().contains("'weight'") && e.getMessage().contains("NaN at element 4"), e.getMessage());
        assertEquals("step-0000001", Files.readString(run.resolve("latest")).trim());
        assertTrue(Files.notExists(run.resolve("step-0000002")));
        try (var files = Files.list(run)) {
            assertEquals(2, files.count(), "step-0000001 and latest, no temp folder");
        }

        // The same for the optimizer's moments: restore the weights, poison a moment.
        Checkpoint.loadModel(run.resolve("step-0000001"), model);
        Map<String, Tensor> state = adam.state();
        String moment = state.keySet().iterator().next();
        float[] m = state.get(moment).toFloatArray();
        m[0] = Float.POSITIVE_INFINITY;
        state.get(moment).copyFrom(Tensor.of(m).view(state.get(moment).shape()));
        e = assertThrows(IllegalStateException.class, () -> Checkpoint.save(run, 2, model, new Config(3), adam, Map.of()));
        assertTrue(e.getMessage().contains("'" + moment + "'") && e.getMessage().contains("Infinity"), e.getMessage());
    }

    @Test
    void loadingACheckpointWithANonFiniteWeightNamesTheTensor(@TempDir Path run) throws Exception {
        Linear model = new Linear(3, 2, true, new Generator(1));
        Checkpoint.save(run, 1, model, new Config(3), null, Map.of());
        Path file = run.resolve("step-0000001").resolve(Checkpoint.MODEL);
        // Rewrite the file as a damaged or diverged run would have it, bypassing save's own check.
        SafeTensors.write(file, Map.of("weight", Tensor.zeros(2, 3), "bias", Tensor.of(new float[] {0, Float.NaN})), Map.of("format", "strand"));
        Linear fresh = new Linear(3, 2, true, new Generator(2));
        float[] before = fresh.weight.data().toFloatArray();
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.loadModel(run.resolve("step-0000001"), fresh));
        assertTrue(e.getMessage().contains("'bias'") && e.getMessage().contains("NaN at element 1"), e.getMessage());
        assertArrayEquals(before, fresh.weight.data().toFloatArray());
    }

    @Test
    void damagedJsonBesideTheWeightsNamesItsFile(@TempDir Path run) throws Exception {
        Linear model = new Linear(3, 2, true, new Generator(1));
        Path step = Checkpoint.save(run, 1, model, new Config(3), null, Map.of());
        Files.writeString(step.resolve(Checkpoint.CONFIG), "{\"in\": 3,");
        var config = assertThrows(java.io.IOException.class, () -> Checkpoint.readConfig(step, Config.class));
        assertTrue(config.getMessage().startsWith(step.resolve(Checkpoint.CONFIG) + " is not a valid Config") && config.getMessage().contains("line 1"),
                config.getMessage());
        Files.writeString(step.resolve(Checkpoint.STATE), "not json");
        var state = assertThrows(java.io.IOException.class, () -> Checkpoint.restore(step, model, null, Map.of()));
        assertTrue(state.getMessage().startsWith(step.resolve(Checkpoint.STATE) + " is not valid JSON"), state.getMessage());
        Files.writeString(step.resolve(Checkpoint.STATE), "{}");
        state = assertThrows(java.io.IOException.class, () -> Checkpoint.restore(step, model, null, Map.of()));
        assertTrue(state.getMessage().contains("has no step number"), state.getMessage());
    }
}

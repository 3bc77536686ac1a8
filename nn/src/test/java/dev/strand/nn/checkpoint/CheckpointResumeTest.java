package dev.strand.nn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.Variable;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.optim.Schedule;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run interrupted and resumed from its checkpoint ends with exactly the weights of an uninterrupted run. */
class CheckpointResumeTest {
    static final TransformerConfig CONFIG = new TransformerConfig(12, 16, 2, 2, 32, 10, 0.2f, true, Positions.LEARNED, 1e-5f);
    static final Schedule SCHEDULE = Schedule.warmupCosine(1e-2f, 3, 12, 1e-3f);

    /** Everything a run owns: model (its dropout draws from modelGen), optimizer, data generator. */
    static final class Run {
        final Generator modelGen = new Generator(11), dataGen = new Generator(22);
        final BertModel model = new BertModel(CONFIG, modelGen);
        final AdamW opt = AdamW.adamW(model.namedParameters(), 1e-2f, 0.01f);

        Map<String, Generator> generators() {
            return Map.of("model", modelGen, "data", dataGen);
        }

        void train(int from, int to) {
            for (int step = from; step < to; step++) {
                int[] ids = new int[4 * 10], labels = new int[4 * 10];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = dataGen.nextInt(12);
                    labels[i] = dataGen.nextFloat() < 0.3f ? ids[i] : -100;
                }
                labels[0] = ids[0];
                opt.setLr(SCHEDULE.lr(step));
                Variable loss = model.mlmLoss(Tensor.ofInts(ids, 4, 10), null, Tensor.ofInts(labels, 4, 10));
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
        }
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) throws IOException {
        Run straight = new Run();
        straight.train(0, 12);

        Run first = new Run();
        first.train(0, 5);
        Checkpoint.save(dir, 5, first.model, CONFIG, first.opt, first.generators());
        first.train(5, 7);   // work after the checkpoint is lost in the "crash"

        TransformerConfig config = Checkpoint.readConfig(Checkpoint.latest(dir), TransformerConfig.class);
        assertEquals(CONFIG, config);
        Run resumed = new Run();
        Checkpoint.State state = Checkpoint.restore(Checkpoint.latest(dir), resumed.model, resumed.opt, resumed.generators());
        assertEquals(5, state.step());
        resumed.train(state.step(), 12);

        for (var e : straight.model.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toFloatArray(), resumed.model.stateDict().get(e.getKey()).toFloatArray(), e.getKey());
        }
    }

    @Test
    void trainingIsDeterministic() {
        Run a = new Run(), b = new Run();
        a.train(0, 6);
        b.train(0, 6);
        for (var e : a.model.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toFloatArray(), b.model.stateDict().get(e.getKey()).toFloatArray(), e.getKey());
        }
    }

    @Test
    void latestPointsAtTheNewestCompleteCheckpointAndLeavesNoTempFiles(@TempDir Path dir) throws IOException {
        Run run = new Run();
        Checkpoint.save(dir, 1, run.model, CONFIG, run.opt, run.generators());
        Path second = Checkpoint.save(dir, 2, run.model, CONFIG, run.opt, run.generators());
        assertEquals(second, Checkpoint.latest(dir));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
        assertEquals(null, Checkpoint.latest(dir.resolve("empty")));
    }

    @Test
    void loadingIntoAModelOfAnotherShapeNamesTheTensor(@TempDir Path dir) throws IOException {
        Run run = new Run();
        Path ckpt = Checkpoint.save(dir, 1, run.model, CONFIG, null, Map.of());
        BertModel wider = new BertModel(new TransformerConfig(12, 32, 2, 2, 32, 10, 0f, true, Positions.LEARNED, 1e-5f), new Generator(0));
        Exception e = assertThrows(Exception.class, () -> Checkpoint.loadModel(ckpt, wider));
        assertTrue(e.getMessage().contains("encoder.tokens.weight") && e.getMessage().contains("16") && e.getMessage().contains("32"), e.getMessage());
        Exception seed = assertThrows(IOException.class, () -> Checkpoint.restore(
                Checkpoint.save(dir, 2, run.model, CONFIG, run.opt, Map.of("model", new Generator(5))), run.model, run.opt, Map.of("model", new Generator(6))));
        assertTrue(seed.getMessage().contains("seed 5"), seed.getMessage());
    }
}

package dev.strand.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.Variable;
import dev.strand.nn.Linear;
import dev.strand.nn.loss.Losses;
import dev.strand.nn.optim.AdamW;
import dev.strand.nn.optim.Schedule;
import dev.strand.nn.optim.Sgd;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one training loop: the step it takes, accumulation, cadences, early stopping and exact resume. */
class TrainingLoopTest {
    /** What the checkpoints of these runs record as their config. */
    record Shape(int in) {}

    /** A regression objective on random rows of x·w*: batches drawn from {@code data}, {@code rows} each. */
    private static Objective regression(Linear model, Generator data, int rows) {
        Tensor truth = Tensor.randn(new Generator(99), 4, 1);
        return () -> {
            Tensor x = Tensor.randn(data, rows, 4);
            Variable loss = Losses.mse(model.forward(Variable.constant(x)), Variable.constant(x.matmul(truth)));
            return new Objective.Loss(loss, rows);
        };
    }

    @Test
    void aStepIsZeroGradBackwardClipUpdate() throws Exception {
        Linear looped = new Linear(4, 1, true, new Generator(1)), manual = new Linear(4, 1, true, new Generator(1));
        Sgd a = new Sgd(looped.namedParameters(), 0.1f, 0.9f, 0f), b = new Sgd(manual.namedParameters(), 0.1f, 0.9f, 0f);
        Schedule schedule = step -> 0.1f / (step + 1);
        List<TrainingListener.StepReport> reports = new ArrayList<>();
        new TrainingLoop(looped, a, schedule, regression(looped, new Generator(5), 8), TrainingLoop.Settings.of(4).withClipNorm(0.5f))
                .listen(new TrainingListener() {
                    @Override
                    public void step(StepReport r) {
                        reports.add(r);
                    }
                }).run();
        Objective reference = regression(manual, new Generator(5), 8);
        for (int step = 0; step < 4; step++) {
            b.setLr(schedule.lr(step));
            Variable loss = reference.next().value();
            b.zeroGrad();
            loss.backward();
            float norm = dev.strand.nn.optim.Optimizer.clipGradNorm(manual.parameters(), 0.5f);
            b.step();
            assertEquals(loss.item(), reports.get(step).loss(), "loss of step " + step);
            assertEquals(norm, reports.get(step).gradNorm(), "gradient norm of step " + step);
            assertEquals(schedule.lr(step), reports.get(step).lr());
            assertEquals(8L * (step + 1), reports.get(step).examples());
        }
        assertArrayEquals(manual.weight.data().toFloatArray(), looped.weight.data().toFloatArray());
    }

    @Test
    void twoMicroBatchesOfFourGiveTheGradientOfOneBatchOfEight() throws Exception {
        Linear whole = new Linear(4, 1, true, new Generator(1)), halves = new Linear(4, 1, true, new Generator(1));
        // Sixteen rows drawn in the same order: one batch of 8 = two of 4 with a mean loss.
        Tensor truth = Tensor.randn(new Generator(99), 4, 1), rows = Tensor.randn(new Generator(5), 16, 4);
        int[] at = {0, 0};
        Objective eight = () -> batch(whole, rows, truth, at, 0, 8), four = () -> batch(halves, rows, truth, at, 1, 4);
        Schedule lr = Schedule.constant(0.05f);
        float infinite = Float.POSITIVE_INFINITY;
        new TrainingLoop(whole, new Sgd(whole.namedParameters(), 0.05f, 0f, 0f), lr, eight, TrainingLoop.Settings.of(2).withClipNorm(infinite)).run();
        new TrainingLoop(halves, new Sgd(halves.namedParameters(), 0.05f, 0f, 0f), lr, four,
                TrainingLoop.Settings.of(2).withClipNorm(infinite).withAccumulation(2)).run();
        float[] w = whole.weight.data().toFloatArray(), h = halves.weight.data().toFloatArray();
        for (int i = 0; i < w.length; i++) assertEquals(w[i], h[i], 1e-6f, "weight " + i);
    }

    private static Objective.Loss batch(Linear model, Tensor rows, Tensor truth, int[] at, int which, int n) {
        Tensor x = rows.narrow(0, at[which], n);
        at[which] += n;
        return new Objective.Loss(Losses.mse(model.forward(Variable.constant(x)), Variable.constant(x.matmul(truth))), n);
    }

    @Test
    void evaluationRunsOnItsCadenceAndAfterTheLastStepAndMayStopTheRun() throws Exception {
        Linear model = new Linear(4, 1, true, new Generator(1));
        List<Integer> evaluated = new ArrayList<>();
        TrainingLoop.Result r = new TrainingLoop(model, new Sgd(model.namedParameters(), 0.01f, 0f, 0f), Schedule.constant(0.01f),
                regression(model, new Generator(2), 4), TrainingLoop.Settings.of(7).withEvalEvery(3))
                .evaluateWith(step -> evaluated.add(step) && false).run();
        assertEquals(List.of(3, 6, 7), evaluated);
        assertFalse(r.stoppedEarly());
        evaluated.clear();
        r = new TrainingLoop(model, new Sgd(model.namedParameters(), 0.01f, 0f, 0f), Schedule.constant(0.01f),
                regression(model, new Generator(2), 4), TrainingLoop.Settings.of(7).withEvalEvery(2))
                .evaluateWith(step -> evaluated.add(step) && step == 4).run();
        assertEquals(List.of(2, 4), evaluated);
        assertEquals(4, r.steps());
        assertTrue(r.stoppedEarly());
    }

    @Test
    void aRunResumedFromItsCheckpointEndsWithTheSameWeights(@TempDir Path dir) throws Exception {
        record Run(Linear model, TrainingLoop loop) {}
        java.util.function.Function<Path, Run> build = runDir -> {
            Generator init = new Generator(1), data = new Generator(2);
            Linear model = new Linear(4, 1, true, init);
            TrainingLoop loop = new TrainingLoop(model, AdamW.adamW(model.namedParameters(), 0.05f, 0.01f),
                    Schedule.warmupCosine(0.05f, 2, 6, 0.005f), regression(model, data, 4), TrainingLoop.Settings.of(6).withCheckpointEvery(3))
                    .checkpointTo(runDir, new Shape(4), Map.of("init", init, "data", data));
            return new Run(model, loop);
        };
        Path straight = dir.resolve("straight"), resumed = dir.resolve("resumed");
        Run a = build.apply(straight);
        List<Path> saved = new ArrayList<>();
        a.loop().listen(new TrainingListener() {
            @Override
            public void checkpointed(int step, Path checkpoint) {
                saved.add(checkpoint);
            }
        }).run();
        assertEquals(2, saved.size(), "steps 3 and 6");
        Files.createDirectories(resumed.resolve(saved.get(0).getFileName()));
        try (var files = Files.list(saved.get(0))) {
            for (Path p : files.toList()) Files.copy(p, resumed.resolve(saved.get(0).getFileName()).resolve(p.getFileName()));
        }
        Files.writeString(resumed.resolve("latest"), saved.get(0).getFileName() + "\n");
        Run b = build.apply(resumed);
        assertTrue(b.loop().resume());
        assertEquals(3, b.loop().step());
        b.loop().run();
        assertArrayEquals(a.model().weight.data().toFloatArray(), b.model().weight.data().toFloatArray());
        assertArrayEquals(a.model().bias.data().toFloatArray(), b.model().bias.data().toFloatArray());
    }

    @Test
    void aCheckpointOfAnotherConfigIsRefusedByName(@TempDir Path dir) throws Exception {
        Linear model = new Linear(4, 1, true, new Generator(1));
        Objective o = regression(model, new Generator(2), 4);
        new TrainingLoop(model, new Sgd(model.namedParameters(), 0.01f, 0f, 0f), Schedule.constant(0.01f), o, TrainingLoop.Settings.of(1))
                .checkpointTo(dir, new Shape(4), Map.of()).run();
        TrainingLoop other = new TrainingLoop(model, new Sgd(model.namedParameters(), 0.01f, 0f, 0f), Schedule.constant(0.01f), o, TrainingLoop.Settings.of(1))
                .checkpointTo(dir, new Shape(5), Map.of());
        var e = assertThrows(IllegalArgumentException.class, other::resume);
        assertTrue(e.getMessage().contains("was made for Shape[in=4], not Shape[in=5]"), e.getMessage());
    }

    @Test
    void aNonFiniteLossStopsTheRunBeforeItsUpdateAndLeavesTheLastCheckpoint(@TempDir Path dir) throws Exception {
        Linear model = new Linear(4, 1, true, new Generator(1));
        Objective regression = regression(model, new Generator(2), 4);
        int[] calls = {0};
        // Step 3's batch carries a NaN target: its loss is NaN, and so would be every weight after its update.
        Objective poisoned = () -> {
            Objective.Loss l = regression.next();
            return ++calls[0] == 3 ? new Objective.Loss(l.value().mul(Float.NaN), l.examples()) : l;
        };
        TrainingLoop loop = new TrainingLoop(model, AdamW.adamW(model.namedParameters(), 0.05f, 0.01f), Schedule.constant(0.05f),
                poisoned, TrainingLoop.Settings.of(6).withCheckpointEvery(1)).checkpointTo(dir, new Shape(4), Map.of());
        float[][] after2 = new float[1][];
        loop.listen(new TrainingListener() {
            @Override
            public void step(StepReport r) {
                if (r.step() == 2) after2[0] = model.weight.data().toFloatArray();
            }
        });
        var e = assertThrows(TrainingDivergedException.class, loop::run);
        assertEquals(3, e.step());
        assertEquals("loss", e.quantity());
        assertTrue(Float.isNaN(e.value()));
        assertTrue(e.getMessage().contains("step 3") && e.getMessage().contains("step-0000002") && e.getMessage().contains("learning rate"), e.getMessage());
        assertArrayEquals(after2[0], model.weight.data().toFloatArray(), "the update of step 3 was not applied");
        assertEquals("step-0000002", Files.readString(dir.resolve("latest")).trim());
        assertFalse(Files.exists(dir.resolve("step-0000003")));
    }

    @Test
    void anInfiniteGradientNormStopsTheRunToo() throws Exception {
        Linear model = new Linear(4, 1, true, new Generator(1));
        float[] before = model.weight.data().toFloatArray();
        // A finite loss (0) whose gradient is infinite: the square root of out − out, whose slope at 0 is infinite.
        Objective overflow = () -> {
            Variable out = model.forward(Variable.constant(Tensor.ones(2, 4)));
            return new Objective.Loss(out.sub(out.detach()).sqrt().sum(), 2);
        };
        var e = assertThrows(TrainingDivergedException.class, () -> new TrainingLoop(model, new Sgd(model.namedParameters(), 0.01f, 0f, 0f),
                Schedule.constant(0.01f), overflow, TrainingLoop.Settings.of(3)).run());
        assertEquals(1, e.step());
        assertEquals("gradient norm", e.quantity());
        assertArrayEquals(before, model.weight.data().toFloatArray());
    }
}

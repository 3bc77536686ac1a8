package dev.strand.nn.train;

import dev.strand.nn.Module;
import dev.strand.nn.checkpoint.Checkpoint;
import dev.strand.nn.optim.Optimizer;
import dev.strand.nn.optim.Schedule;
import dev.strand.tensor.Generator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one training loop, for every kind of training; the {@link Objective} says what is learned.
 * Each step sets the learning rate from the schedule, clears the gradients, sums the gradients of
 * {@code accumulation} micro-batches (each loss divided by their number), clips their global norm,
 * and updates; a step whose loss or gradient norm is not finite stops the run before its update
 * ({@link TrainingDivergedException}). Evaluation runs every {@code evalEvery} steps and after the last, and may stop the
 * run early; checkpoints are written every {@code checkpointEvery} steps and after the last, and a
 * run restored from one ({@link #resume}) ends with the same weights, bit for bit, as one never
 * stopped.
 *
 * <pre>{@code
 * TrainingLoop loop = new TrainingLoop(model, AdamW.adamW(model.namedParameters(), 3e-4f, 0.01f),
 *         Schedule.warmupCosine(3e-4f, 100, 2000, 3e-5f), objective, TrainingLoop.Settings.of(2000));
 * loop.listen(progressBar).run();
 * }</pre>
 */
public final class TrainingLoop {
    /**
     * How long and how often.
     *
     * @param steps           optimizer steps in the whole run
     * @param accumulation    micro-batches whose gradients add up to one step
     * @param clipNorm        the global gradient norm is clipped to this (infinity: never)
     * @param evalEvery       evaluate every this many steps, and after the last (0: only after the last)
     * @param checkpointEvery checkpoint every this many steps, and after the last (0: only after the last)
     */
    public record Settings(int steps, int accumulation, float clipNorm, int evalEvery, int checkpointEvery) {
        public Settings {
            if (steps < 1) throw new IllegalArgumentException("train for at least one step, got " + steps);
            if (accumulation < 1) throw new IllegalArgumentException("gradient accumulation must be at least 1 micro-batch, got " + accumulation);
            if (!(clipNorm > 0)) throw new IllegalArgumentException("clip norm must be positive, got " + clipNorm);
            if (evalEvery < 0 || checkpointEvery < 0) throw new IllegalArgumentException("eval and checkpoint intervals must be >= 0");
        }

        /** {@code steps} steps of one micro-batch, clipped at norm 1, evaluated and checkpointed after the last only. */
        public static Settings of(int steps) {
            return new Settings(steps, 1, 1f, 0, 0);
        }

        public Settings withAccumulation(int microBatches) {
            return new Settings(steps, microBatches, clipNorm, evalEvery, checkpointEvery);
        }

        public Settings withClipNorm(float norm) {
            return new Settings(steps, accumulation, norm, evalEvery, checkpointEvery);
        }

        public Settings withEvalEvery(int every) {
            return new Settings(steps, accumulation, clipNorm, every, checkpointEvery);
        }

        public Settings withCheckpointEvery(int every) {
            return new Settings(steps, accumulation, clipNorm, evalEvery, every);
        }
    }

    /** Scores the model between steps (dev set, held-out data); returns true to stop training. */
    @FunctionalInterface
    public interface Evaluation {
        boolean evaluate(int step);
    }

    /** How a run ended: steps done, and whether an evaluation stopped it before the planned steps. */
    public record Result(int steps, boolean stoppedEarly) {}

    private final Module model;
    private final Optimizer optimizer;
    private final Schedule schedule;
    private final GradientSource gradients;
    private final Settings settings;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private Evaluation evaluation;
    private Path runDir;
    private Object config;
    private Map<String, Generator> generators = Map.of();
    private int step;
    private long examples;

    public TrainingLoop(Module model, Optimizer optimizer, Schedule schedule, Objective objective, Settings settings) {
        this(model, optimizer, schedule, GradientSource.local(objective, settings.accumulation()), settings);
    }

    /**
     * A loop whose gradients come from {@code gradients} (data-parallel replicas) rather than this
     * process's objective; how a step's batch is split is the source's business, so the settings'
     * {@code accumulation} is not used.
     */
    public TrainingLoop(Module model, Optimizer optimizer, Schedule schedule, GradientSource gradients, Settings settings) {
        this.model = model;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.gradients = gradients;
        this.settings = settings;
    }

    /** Adds a listener. */
    public TrainingLoop listen(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Evaluates with {@code e} on the settings' cadence. */
    public TrainingLoop evaluateWith(Evaluation e) {
        this.evaluation = e;
        return this;
    }

    /**
     * Checkpoints into {@code runDir} on the settings' cadence: the model, {@code config} (any
     * JSON-serialisable record), the optimizer and the named generators whose state an exact
     * resume needs (model initialisation and dropout, data order, masking, …).
     */
    public TrainingLoop checkpointTo(Path runDir, Object config, Map<String, Generator> generators) {
        this.runDir = runDir;
        this.config = config;
        this.generators = Map.copyOf(generators);
        return this;
    }

    /**
     * Restores the newest checkpoint in the run directory, if any, and returns whether it did. A
     * checkpoint whose config differs from this run's is an error that names both.
     */
    public boolean resume() throws IOException {
        return resume(false);
    }

    /**
     * As {@link #resume()}; with {@code weightsOnly} the optimizer starts fresh instead of from the
     * checkpoint's state (for a checkpoint that lacks it): the run goes on, but no longer exactly.
     */
    public boolean resume(boolean weightsOnly) throws IOException {
        if (runDir == null) throw new IllegalStateException("resume needs checkpointTo(...) first");
        Path latest = Checkpoint.latest(runDir);
        if (latest == null) return false;
        Object saved = Checkpoint.readConfig(latest, config.getClass());
        if (!saved.equals(config)) {
            throw new IllegalArgumentException("checkpoint " + latest + " was made for " + saved + ", not " + config
                    + "; use another --out directory or the same model options");
        }
        step = Checkpoint.restore(latest, model, weightsOnly ? null : optimizer, generators).step();
        return true;
    }

    /** Steps completed. */
    public int step() {
        return step;
    }

    /** Trains from the current step to {@code settings.steps()}, or until an evaluation stops it. */
    public Result run() throws IOException {
        model.train(true);
        while (step < settings.steps()) {
            optimizer.setLr(schedule.lr(step));
            optimizer.zeroGrad();
            GradientSource.Step computed = gradients.compute();
            float loss = computed.loss();
            examples += computed.examples();
            float gradNorm = Optimizer.clipGradNorm(model.parameters(), settings.clipNorm());
            // A non-finite loss or norm would turn every weight into NaN: stop before the update, so
            // the weights and the last checkpoint stay as they were.
            if (!Float.isFinite(loss) || !Float.isFinite(gradNorm)) {
                throw new TrainingDivergedException(step + 1, Float.isFinite(loss) ? "gradient norm" : "loss",
                        Float.isFinite(loss) ? gradNorm : loss, optimizer.lr(), lastCheckpoint());
            }
            optimizer.step();
            step++;
            var report = new TrainingListener.StepReport(step, settings.steps(), loss, optimizer.lr(), examples, gradNorm);
            for (TrainingListener l : listeners) l.step(report);
            boolean last = step == settings.steps();
            boolean stop = evaluation != null && (last || due(settings.evalEvery())) && evaluation.evaluate(step);
            if (runDir != null && (last || due(settings.checkpointEvery()))) {
                Path saved = Checkpoint.save(runDir, step, model, config, optimizer, generators);
                for (TrainingListener l : listeners) l.checkpointed(step, saved);
            }
            if (stop) return new Result(step, !last);
        }
        return new Result(step, false);
    }

    /** The newest checkpoint of this run, for a person to read, or null if it has none. */
    private String lastCheckpoint() throws IOException {
        Path latest = runDir == null ? null : Checkpoint.latest(runDir);
        return latest == null ? null : latest.toString();
    }

    private boolean due(int every) {
        return every > 0 && step % every == 0;
    }
}

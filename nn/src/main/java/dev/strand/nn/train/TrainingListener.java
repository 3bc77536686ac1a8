package dev.strand.nn.train;

import java.nio.file.Path;

/** Told what a {@link TrainingLoop} does (a progress bar, a metrics log); every method is optional. */
public interface TrainingListener {
    /** After each optimizer step. */
    default void step(StepReport report) {}

    /** After each checkpoint, with its directory. */
    default void checkpointed(int step, Path checkpoint) {}

    /**
     * One optimizer step.
     *
     * @param step       steps done, this one included (1-based)
     * @param totalSteps steps planned
     * @param loss       the step's loss (the mean over its micro-batches)
     * @param lr         the learning rate the step used (the optimizer's; groups scale it)
     * @param examples   examples (rows, tokens) seen since the run began, this step's included
     * @param gradNorm   global gradient norm before clipping
     */
    record StepReport(int step, int totalSteps, float loss, float lr, long examples, float gradNorm) {}
}

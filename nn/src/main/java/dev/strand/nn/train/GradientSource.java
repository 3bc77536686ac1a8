package dev.strand.nn.train;

/**
 * Where a {@link TrainingLoop} step's gradients come from: this process's backward passes
 * ({@link #local}), or replicas elsewhere whose gradients are summed (the Spark module's data
 * parallelism). Everything else about a step (schedule, clipping, the update, checkpoints) is the
 * loop's, whichever it is.
 */
public interface GradientSource {
    /** Fills the model's (zeroed) gradients for one step; returns its loss and the examples it saw. */
    Step compute();

    /** @param loss the step's loss, @param examples what its batch held */
    record Step(float loss, long examples) {}

    /** This process: {@code accumulation} micro-batches of {@code objective}, each loss divided by their number. */
    static GradientSource local(Objective objective, int accumulation) {
        return () -> {
            float loss = 0f;
            long examples = 0;
            for (int micro = 0; micro < accumulation; micro++) {
                Objective.Loss l = objective.next();
                var value = accumulation == 1 ? l.value() : l.value().div((float) accumulation);
                value.backward();
                loss += value.item();
                examples += l.examples();
            }
            return new Step(loss, examples);
        };
    }
}

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

    /**
     * This process, a sharded objective's step part by part: one forward and backward pass per data
     * shard (or one for a batch drawn whole), added by {@link GradientSum} as replicas' parts are, so
     * that a data-parallel run over the same shards is this run bit for bit.
     */
    static GradientSource inParts(ShardedObjective objective) {
        return () -> {
            ShardedObjective.Draw draw = objective.nextDraw();
            GradientSum sum = new GradientSum();
            if (draw == null) {
                sum.add(PartGradients.of(objective.replica(), objective.model(), objective.nextBatch(), null));
            } else {
                for (int s = 0; s < draw.data().shards(); s++) {
                    sum.add(PartGradients.of(objective.replica(), objective.model(), draw.shards(s, s + 1), draw.data().dropoutSeed(draw.step(), s)));
                }
            }
            objective.model().zeroGrad();
            return sum.applyTo(objective.model());
        };
    }
}

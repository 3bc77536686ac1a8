package dev.strand.genomics.train;

import dev.strand.genomics.metrics.TaskScores;
import dev.strand.nn.Module;
import dev.strand.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps a copy of the weights with the best dev score so far ({@link TaskScores#primary()}, higher
 * is better, NaN worst) and says when {@code patience} evaluations in a row brought no improvement.
 */
final class EarlyStopping {
    private final int patience;
    private Map<String, Tensor> bestWeights;
    private TaskScores best;
    private int bestStep, sinceBest;

    /** @param patience evaluations without improvement before stopping; 0 = never */
    EarlyStopping(int patience) {
        this.patience = patience;
    }

    /** Records a dev evaluation of {@code model} at {@code step}; returns whether it is the best so far (its weights are copied). */
    boolean offer(int step, TaskScores dev, Module model) {
        if (best != null && !better(dev.primary(), best.primary())) {
            sinceBest++;
            return false;
        }
        bestWeights = new LinkedHashMap<>();
        model.stateDict().forEach((k, t) -> bestWeights.put(k, t.copy()));
        best = dev;
        bestStep = step;
        sinceBest = 0;
        return true;
    }

    /** True once {@code patience} evaluations in a row did not improve. */
    boolean exhausted() {
        return patience > 0 && sinceBest >= patience;
    }

    /** Puts the best weights back into {@code model}. */
    void restoreBest(Module model) {
        if (bestWeights == null) throw new IllegalStateException("no evaluation was recorded");
        model.stateDict().forEach((k, t) -> t.copyFrom(bestWeights.get(k)));
    }

    TaskScores best() {
        return best;
    }

    int bestStep() {
        return bestStep;
    }

    static boolean better(double candidate, double incumbent) {
        if (Double.isNaN(candidate)) return false;
        return Double.isNaN(incumbent) || candidate > incumbent;
    }
}

package dev.strand.genomics.train;

import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.metrics.LanguageModelMetrics;
import dev.strand.nn.train.ShardedObjective;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.List;

/**
 * A language-modelling objective over windows of DNA, masked ({@link MaskedLanguageModelling}) or
 * causal ({@link CausalLanguageModelling}): the loss the {@link dev.strand.nn.train.TrainingLoop}
 * minimises, and how the model is scored on held-out windows. It holds its model, so nothing that
 * trains or validates it needs to know the model's class. Its batches split by rows among
 * data-parallel replicas ({@link ShardedObjective}).
 */
public interface LanguageModelling extends ShardedObjective {
    /**
     * Adds the model's predictions for held-out ids [B, T] to {@code scores}; masks, where the
     * objective needs them, are drawn from {@code fixed} so every validation sees the same ones.
     */
    void score(Tensor ids, LanguageModelMetrics.Accumulator scores, Generator fixed);

    /** Bases per scored token of the held-out windows, which turns nats per token into bits per base. */
    double basesPerToken(List<PretrainingWindows.Window> held, LanguageModelMetrics.Accumulator scores);
}

package dev.strand.genomics.train;

import dev.strand.autograd.Variable;
import dev.strand.genomics.data.Batch;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.nn.loss.Losses;
import dev.strand.nn.train.Objective;
import dev.strand.nn.transformer.SequenceModel;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * Classification (cross-entropy over the head's logits) or regression (MSE of its outputs) on
 * labelled rows, one epoch after another: each epoch's batches are drawn, in a fresh order, when
 * the previous epoch's run out.
 */
final class SupervisedObjective implements Objective {
    private final SequenceModel model;
    private final LabelledDataset.Task task;
    private final Supplier<Iterable<Batch>> epochs;
    private Iterator<Batch> epoch;

    /** @param epochs a new pass over the training rows each call */
    SupervisedObjective(SequenceModel model, LabelledDataset.Task task, Supplier<Iterable<Batch>> epochs) {
        this.model = model;
        this.task = task;
        this.epochs = epochs;
    }

    @Override
    public Loss next() {
        if (epoch == null || !epoch.hasNext()) epoch = epochs.get().iterator();
        Batch b = epoch.next();
        Variable out = model.forward(b.ids(), b.padding());                                   // [B, K]
        Variable loss = task == LabelledDataset.Task.CLASSIFICATION
                ? Losses.crossEntropy(out, b.labels())                                       // labels [B]
                : Losses.mse(out, Variable.constant(b.labels()));                            // labels [B, K]
        return new Loss(loss, b.size());
    }
}

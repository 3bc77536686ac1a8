package dev.strand.genomics.train;

import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.metrics.TaskScores;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.train.TrainingLoop;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.tensor.Tensor;

/**
 * Fine-tuning's evaluation between steps: scores the dev set, offers the weights to early
 * stopping, and stops the run when its patience is spent. A classifier is first re-centred on dev
 * ({@link PriorCalibration}): its scores are those of the calibrated probabilities, and the weights
 * kept carry the offsets in the head's bias; training goes on from the uncalibrated bias.
 */
final class DevEvaluation implements TrainingLoop.Evaluation {
    /** How rows reach the model: its tokenizer, batching (length limit, truncation) and head. */
    record Rows(Tokenizer tokenizer, LabelledDataset.Batching batching, HeadSpec head) {
        /** The model's outputs per row, [n, K] row-major: class probabilities or predicted targets. */
        float[] outputs(SequenceModel model, LabelledDataset data) {
            return SequenceScoring.outputs(model, data, tokenizer, batching, head.taskKind());
        }

        TaskScores score(SequenceModel model, LabelledDataset data) {
            return SequenceScoring.score(model, data, tokenizer, batching, head);
        }
    }

    private final SequenceModel model;
    private final LabelledDataset dev;
    private final Rows rows;
    private final boolean calibrate;
    private final EarlyStopping stopping;
    private final FineTuning.Listener listener;

    /** @param calibrate re-centre a classifier's logits on dev before scoring it */
    DevEvaluation(SequenceModel model, LabelledDataset dev, Rows rows, boolean calibrate, EarlyStopping stopping, FineTuning.Listener listener) {
        this.model = model;
        this.dev = dev;
        this.rows = rows;
        this.calibrate = calibrate && rows.head().taskKind() == LabelledDataset.Task.CLASSIFICATION;
        this.stopping = stopping;
        this.listener = listener;
    }

    @Override
    public boolean evaluate(int step) {
        if (!calibrate) {
            TaskScores scores = rows.score(model, dev);
            listener.evaluation(step, scores, stopping.offer(step, scores, model));
            return stopping.exhausted();
        }
        HeadSpec head = rows.head();
        float[] p = rows.outputs(model, dev);                                                  // [n, K]
        float[] delta = PriorCalibration.fit(p, dev.classLabels(), head.outputs());           // [K]
        TaskScores scores = SequenceScoring.score(dev, head, PriorCalibration.apply(p, delta));
        Tensor bias = model.head.output.bias.data().copy();
        PriorCalibration.foldInto(model.head.output, delta);
        boolean best = stopping.offer(step, scores, model);
        model.head.output.bias.data().copyFrom(bias);
        listener.evaluation(step, scores, best);
        return stopping.exhausted();
    }
}

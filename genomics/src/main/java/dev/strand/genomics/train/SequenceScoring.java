package dev.strand.genomics.train;

import dev.strand.autograd.GradMode;
import dev.strand.genomics.data.Batch;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.metrics.TaskScores;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Tensor;
import java.util.Locale;

/**
 * Running a {@link SequenceModel} over a labelled set and scoring it, shared by fine-tuning (dev
 * and test evaluation) and {@link FineTunedModel#evaluate}: the same batching, the same numbers.
 */
final class SequenceScoring {
    static final int BATCH = 32;

    private SequenceScoring() {}

    /**
     * How rows become batches for a model: padded to the longest row; when the model limits its
     * input (bounded positions, no recurrent memory), rows over {@code maxLength} tokens are cut per
     * {@code truncation} (or rejected).
     */
    static LabelledDataset.Batching batching(TransformerConfig config, LabelledDataset.Truncation truncation) {
        if (!config.limitsInputLength()) return LabelledDataset.Batching.longest();
        return new LabelledDataset.Batching(config.maxLength(), truncation, false);
    }

    /**
     * Fails fast, before any training, on the first row longer than the model's limit when rows may
     * not be cut; the message names the row, its length and the limit.
     */
    static void checkLengths(LabelledDataset data, Tokenizer tokenizer, TransformerConfig config, LabelledDataset.Truncation truncation) {
        if (!config.limitsInputLength() || truncation != LabelledDataset.Truncation.ERROR) return;
        for (LabelledDataset.Row r : data.rows()) {
            int tokens = tokenizer.encodeWithSpecials(r.sequence()).length;
            if (tokens > config.maxLength()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s%s: a sequence of %d bases gives %d tokens, more than this model's limit of %d (%s positions); "
                                + "cut it with truncation right, left or center (--truncate), or pretrain with a longer --window",
                        data.source(), r.line() > 0 ? ", line " + r.line() : "", r.sequence().length(), tokens, config.maxLength(),
                        config.positions().name().toLowerCase(Locale.ROOT)));
            }
        }
    }

    /** Checks that every class label of {@code data} is one the head has. */
    static void checkLabels(LabelledDataset data, HeadSpec head) {
        if (data.task() != head.taskKind()) {
            throw new IllegalArgumentException(data.source() + " is a " + data.task().name().toLowerCase(Locale.ROOT) + " set but the model's head does " + head.task());
        }
        if (data.task() == LabelledDataset.Task.CLASSIFICATION && data.size() > 0 && data.numClasses() > head.outputs()) {
            throw new IllegalArgumentException(data.source() + " has class " + (data.numClasses() - 1) + " but the model knows "
                    + head.outputs() + " classes " + head.labels());
        }
        if (data.task() == LabelledDataset.Task.REGRESSION && data.labelNames().size() != head.outputs()) {
            throw new IllegalArgumentException(data.source() + " has " + data.labelNames().size() + " targets but the model predicts " + head.outputs());
        }
    }

    /**
     * Model outputs for every row in file order, row-major [n, K]: class probabilities
     * (softmax) for classification, predicted targets for regression. Evaluation mode, no gradients.
     */
    static float[] outputs(SequenceModel model, LabelledDataset data, Tokenizer tokenizer, LabelledDataset.Batching batching, LabelledDataset.Task task) {
        boolean wasTraining = model.isTraining();
        int k = model.head.output.outFeatures;
        float[] out = new float[data.size() * k];
        model.eval();
        try (var noGrad = GradMode.off()) {
            int at = 0;
            for (Batch b : data.batches(BATCH, tokenizer, batching, null)) {
                Tensor y = model.forward(b.ids(), b.padding()).data();                          // [B, K]
                if (task == LabelledDataset.Task.CLASSIFICATION) y = y.softmax(1);              // [B, K]
                float[] v = y.toFloatArray();
                System.arraycopy(v, 0, out, at, v.length);
                at += v.length;
            }
        } finally {
            model.train(wasTraining);
        }
        return out;
    }

    /** The model's scores on {@code data}. */
    static TaskScores score(SequenceModel model, LabelledDataset data, Tokenizer tokenizer, LabelledDataset.Batching batching, HeadSpec head) {
        if (data.size() == 0) throw new IllegalArgumentException(data.source() + " has no rows to score");
        checkLabels(data, head);
        return score(data, head, outputs(model, data, tokenizer, batching, head.taskKind()));
    }

    /** Scores of {@code outputs} ([n, K], from {@link #outputs}) against {@code data}'s labels. */
    static TaskScores score(LabelledDataset data, HeadSpec head, float[] outputs) {
        if (head.taskKind() == LabelledDataset.Task.CLASSIFICATION) return TaskScores.classification(data.classLabels(), outputs, head.outputs());
        return TaskScores.regression(targets(data), outputs, head.outputs());
    }

    /** Regression targets of every row, row-major [n, targets]. */
    static float[] targets(LabelledDataset data) {
        int k = data.labelNames().size();
        float[] t = new float[data.size() * k];
        for (int i = 0; i < data.size(); i++) System.arraycopy(data.row(i).labels(), 0, t, i * k, k);
        return t;
    }
}

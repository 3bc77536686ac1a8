package dev.strand.genomics.train;

import dev.strand.autograd.GradMode;
import dev.strand.autograd.Variable;
import dev.strand.genomics.data.Batch;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.metrics.TaskScores;
import dev.strand.genomics.ml.LogisticRegression;
import dev.strand.genomics.ml.Standardiser;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.transformer.SequenceHead;
import dev.strand.nn.transformer.Encoder;
import java.util.ArrayList;
import java.util.List;

/**
 * What a frozen encoder's layers hold about a classification task: for each hidden state (the
 * embeddings' output, then every layer's), an L2 logistic regression fitted on train's mean-pooled
 * vectors, scored on test. A random encoder of the same shape is the yardstick: pretraining
 * helps a probe only where its layer reads more than the random one's.
 */
public final class LayerProbe {
    private LayerProbe() {}

    /** Test scores of the probe on each hidden state: index 0 is the embeddings, i the output of layer i. */
    public static List<TaskScores> run(Encoder encoder, Tokenizer tokenizer, LabelledDataset train, LabelledDataset test) {
        if (train.task() != LabelledDataset.Task.CLASSIFICATION) throw new IllegalArgumentException("a probe needs class labels; " + train.source() + " is a regression set");
        int classes = Math.max(train.numClasses(), test.numClasses()), d = encoder.config().dim();
        LabelledDataset.Batching batching = SequenceScoring.batching(encoder.config(), LabelledDataset.Truncation.ERROR);
        for (LabelledDataset data : List.of(train, test)) SequenceScoring.checkLengths(data, tokenizer, encoder.config(), LabelledDataset.Truncation.ERROR);
        List<float[]> trainFeatures = pooledStates(encoder, tokenizer, train, batching), testFeatures = pooledStates(encoder, tokenizer, test, batching);
        List<TaskScores> scores = new ArrayList<>();
        for (int s = 0; s < trainFeatures.size(); s++) {
            float[] x = trainFeatures.get(s), y = testFeatures.get(s);
            Standardiser.fitInPlace(x, train.size(), d).apply(y);
            LogisticRegression probe = LogisticRegression.fit(x, d, train.classLabels(), classes, LinearProbe.L2, LinearProbe.MAX_ITERATIONS);
            scores.add(TaskScores.classification(test.classLabels(), probe.probabilities(y), classes));
        }
        return scores;
    }

    /** Mean-pooled hidden states of every row: one [n, d] array per state, rows in file order. */
    private static List<float[]> pooledStates(Encoder encoder, Tokenizer tokenizer, LabelledDataset data, LabelledDataset.Batching batching) {
        int d = encoder.config().dim(), states = encoder.config().layers() + 1;
        List<float[]> out = new ArrayList<>();
        for (int s = 0; s < states; s++) out.add(new float[data.size() * d]);
        boolean training = encoder.isTraining();
        encoder.eval();
        try (var noGrad = GradMode.off()) {
            int row = 0;
            for (Batch b : data.batches(64, tokenizer, batching, null)) {
                List<Variable> hidden = encoder.hiddenStates(b.ids(), b.padding());                  // each [B, T, d]
                for (int s = 0; s < states; s++) {
                    float[] pooled = SequenceHead.meanPool(hidden.get(s), b.padding()).data().toFloatArray();   // [B, d]
                    System.arraycopy(pooled, 0, out.get(s), row * d, pooled.length);
                }
                row += b.size();
            }
        } finally {
            encoder.train(training);
        }
        return out;
    }
}

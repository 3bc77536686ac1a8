package dev.strand.genomics.train;

import dev.strand.autograd.GradMode;
import dev.strand.genomics.data.Batch;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.ml.LogisticRegression;
import dev.strand.genomics.ml.Standardiser;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.BatchNorm;
import dev.strand.nn.Linear;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;

/**
 * The first half of LP-FT (Kumar et al. 2022, "Fine-Tuning can Distort Pretrained Features"):
 * fit a classifier's output layer as an L2 logistic regression on the frozen encoder's pooled
 * vectors, so that fine-tuning starts from a head that already reads the encoder's features
 * instead of sending a random head's gradients back into it. The regression is fitted on
 * standardised vectors; a head with batch normalisation takes the standardisation as its running
 * statistics and the regression as it is, any other head has it folded into its weights and bias.
 */
final class LinearProbe {
    /**
     * L2 penalty of the probe, on standardised features: pooled vectors vary little between
     * sequences (a standard deviation of about 0.15 around means of about 0.7 in a small DNA model),
     * so a penalty on the raw vectors would mostly measure that scale.
     */
    static final double L2 = 1e-3;
    static final int MAX_ITERATIONS = 200;

    private LinearProbe() {}

    /**
     * Sets {@code model.head.output} to the logistic regression fitted on up to {@code maxRows}
     * rows of {@code train} (drawn in {@code shuffle}'s order), with the encoder in evaluation mode.
     */
    static void fitHead(SequenceModel model, LabelledDataset train, int maxRows, Tokenizer tokenizer,
                        LabelledDataset.Batching batching, int classes, Generator shuffle) {
        int d = model.encoder.config().dim(), n = Math.min(maxRows, train.size());
        float[] features = new float[n * d];
        int[] labels = new int[n];
        int filled = 0;
        boolean training = model.isTraining();
        model.eval();
        try (var noGrad = GradMode.off()) {
            for (Batch b : train.batches(64, tokenizer, batching, shuffle)) {
                int take = Math.min(b.size(), n - filled);
                float[] pooled = model.pooled(b.ids(), b.padding()).data().toFloatArray();      // [B, d]
                int[] y = b.labels().toIntArray();                                              // [B]
                System.arraycopy(pooled, 0, features, filled * d, take * d);
                System.arraycopy(y, 0, labels, filled, take);
                filled += take;
                if (filled == n) break;
            }
        } finally {
            model.train(training);
        }
        Standardiser z = Standardiser.fitInPlace(features, n, d);
        LogisticRegression probe = LogisticRegression.fit(features, d, labels, classes, L2, MAX_ITERATIONS);
        BatchNorm norm = model.head.norm;
        if (norm != null) {
            // The head standardises by itself: it takes the moments as running statistics and the regression as it is.
            float[] m = new float[d], var = new float[d];
            for (int f = 0; f < d; f++) {
                m[f] = (float) z.mean(f);
                var[f] = (float) (z.sd(f) * z.sd(f));
            }
            norm.setRunning(Tensor.of(m), Tensor.of(var));
            z = Standardiser.identity(d);
        }
        // What standardisation is left (none for a batch-normalised head) is folded into the output layer.
        Linear out = model.head.output;                                                         // weight [K, d], bias [K]
        float[] w = new float[classes * d], bias = new float[classes];
        probe.unstandardised(z, w, bias);
        out.weight.data().copyFrom(Tensor.of(w).view(classes, d));
        out.bias.data().copyFrom(Tensor.of(bias));
    }
}

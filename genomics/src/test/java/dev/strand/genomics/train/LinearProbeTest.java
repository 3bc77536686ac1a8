package dev.strand.genomics.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.autograd.GradMode;
import dev.strand.genomics.data.Batch;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.ml.LogisticRegression;
import dev.strand.genomics.tasks.FineTuningData;
import dev.strand.genomics.tokenize.NucleotideTokenizer;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.SequenceHead;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.nn.transformer.Transformer;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** LP-FT's probe: the head becomes the logistic regression of the frozen encoder's pooled vectors. */
class LinearProbeTest {
    @ParameterizedTest(name = "batch-normalised head: {0}")
    @ValueSource(booleans = {false, true})
    void headEqualsTheLogisticRegressionOfThePooledVectors(boolean normalised) {
        TransformerConfig config = PlantedTasks.tinyConfig(Positions.ROPE, 64);
        SequenceModel model = new SequenceModel(new Transformer(config, new Generator(5)),
                new SequenceHead(config.dim(), 2, SequenceHead.Pooling.MEAN, normalised, 0f, new Generator(6)));
        LabelledDataset train = PlantedTasks.motifTask(120, 16).train();
        NucleotideTokenizer tok = new NucleotideTokenizer();
        LabelledDataset.Batching batching = SequenceScoring.batching(config, LabelledDataset.Truncation.ERROR);

        LinearProbe.fitHead(model, train, train.size(), tok, batching, 2, new Generator(7));

        // The same fit, done directly on the pooled vectors of all rows in file order.
        int d = config.dim(), n = train.size();
        float[] x;
        int[] y;
        try (var noGrad = GradMode.off()) {
            Batch all = train.batch(0, n, tok, batching);
            x = model.pooled(all.ids(), all.padding()).data().toFloatArray();                  // [n, d]
            y = all.labels().toIntArray();
        }
        float[] standard = x.clone();
        for (int f = 0; f < d; f++) {
            double mean = 0, var = 0;
            for (int i = 0; i < n; i++) mean += x[i * d + f] / (double) n;
            for (int i = 0; i < n; i++) var += (x[i * d + f] - mean) * (x[i * d + f] - mean) / n;
            for (int i = 0; i < n; i++) standard[i * d + f] = (float) ((x[i * d + f] - mean) / Math.sqrt(var));
        }
        LogisticRegression direct = LogisticRegression.fit(standard, d, y, 2, LinearProbe.L2, LinearProbe.MAX_ITERATIONS);
        // The model's own forward pass (raw pooled vectors in, through the head's normalisation if
        // it has one) gives the probabilities of the fit on standardised ones.
        float[] expected = direct.probabilities(standard);
        float[] logits;
        model.eval();
        try (var noGrad = GradMode.off()) {
            Batch all = train.batch(0, n, tok, batching);
            logits = model.forward(all.ids(), all.padding()).data().toFloatArray();            // [n, 2]
        }
        model.train(true);
        for (int i = 0; i < n; i++) {
            double p1 = 1 / (1 + Math.exp(logits[i * 2] - logits[i * 2 + 1]));
            assertEquals(expected[i * 2 + 1], p1, 2e-3, "row " + i);
        }
        assertTrue(model.isTraining(), "the probe leaves the model in the mode it found it");
        if (normalised) {
            float[] mean = model.head.norm.runningMean.toFloatArray();
            for (int f = 0; f < d; f++) {
                double m = 0;
                for (int i = 0; i < n; i++) m += x[i * d + f] / (double) n;
                assertEquals(m, mean[f], 1e-5, "running mean of feature " + f + " is the probe's");
            }
        }
    }

    @Test
    void fineTuningWithAProbeStartsFromIt(@TempDir Path dir) throws Exception {
        PretrainedModel base = PlantedTasks.pretrainedRun(dir.resolve("pre"), PlantedTasks.tinyConfig(Positions.ROPE, 64));
        FineTuningData data = PlantedTasks.motifTask(200, 16);
        FineTuning.Settings oneTinyStep = FineTuning.Settings.builder().steps(1).lr(1e-12f).dropout(0f)
                .pooling(SequenceHead.Pooling.MEAN).evaluation(1, 0).build();
        FineTuning.Result plain = FineTuning.run(base, data, oneTinyStep, dir.resolve("plain"), FineTuning.Listener.NONE);
        FineTuning.Result probed = FineTuning.run(base, data, oneTinyStep.toBuilder().probe(200).build(), dir.resolve("probed"), FineTuning.Listener.NONE);
        // A random head sits near chance; the probe reads the features the encoder already has.
        assertTrue(probed.bestDev().get("auroc") > plain.bestDev().get("auroc"), probed.bestDev() + " vs " + plain.bestDev());
        assertEquals(1, probed.bestStep(), "the probe is where fine-tuning starts, not a candidate of its own");
    }
}

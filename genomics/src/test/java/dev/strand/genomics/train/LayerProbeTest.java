package dev.strand.genomics.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.metrics.TaskScores;
import dev.strand.genomics.tokenize.NucleotideTokenizer;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.Transformer;
import dev.strand.tensor.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayerProbeTest {
    /** Class 1 rows are 65 % G or C, class 0 rows 35 %: a task that base composition alone decides. */
    private static LabelledDataset gcClasses(String name, int rows, long seed) {
        Random rng = new Random(seed);
        List<LabelledDataset.Row> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int label = i % 2;
            StringBuilder s = new StringBuilder();
            for (int t = 0; t < 40; t++) {
                boolean strong = rng.nextDouble() < (label == 1 ? 0.65 : 0.35);
                s.append(strong ? (rng.nextBoolean() ? 'G' : 'C') : (rng.nextBoolean() ? 'A' : 'T'));
            }
            out.add(new LabelledDataset.Row(s.toString(), new float[] {label}, i + 2));
        }
        return LabelledDataset.of(name, LabelledDataset.Task.CLASSIFICATION, List.of("label"), out);
    }

    @Test
    void theEmbeddingsAloneReadBaseComposition() {
        Transformer encoder = new Transformer(PlantedTasks.tinyConfig(Positions.ROPE, 64), new Generator(4));
        List<TaskScores> scores = LayerProbe.run(encoder, new NucleotideTokenizer(), gcClasses("train", 300, 1), gcClasses("test", 200, 2));
        assertEquals(encoder.config.layers() + 1, scores.size(), "the embeddings and every layer");
        // the mean embedding is a linear map of the base counts, which separate the classes almost always
        assertTrue(scores.get(0).get("accuracy") >= 0.95, scores.get(0).toString());
        for (TaskScores s : scores) assertEquals(200, s.n());
        assertTrue(encoder.isTraining(), "the encoder is left in the mode it was in");
    }

    @Test
    void needsClassLabels() {
        Transformer encoder = new Transformer(PlantedTasks.tinyConfig(Positions.ROPE, 64), new Generator(4));
        LabelledDataset gc = PlantedTasks.gcContent("gc", 20, 30, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerProbe.run(encoder, new NucleotideTokenizer(), gc, gc));
        assertTrue(e.getMessage().contains("class labels"), e.getMessage());
    }
}

package dev.strand.genomics.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.metrics.TaskScores;
import dev.strand.genomics.tasks.FineTuningData;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.nn.checkpoint.SafeTensors;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.SequenceHead;
import dev.strand.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tuning on planted tasks: it learns, it stops early on the best dev weights, and evaluate gives back its test scores. */
class FineTuningTest {
    private static final FineTuning.Settings FAST = FineTuning.Settings.builder().lr(5e-3f).dropout(0f).batch(32)
            .pooling(SequenceHead.Pooling.MEAN).evaluation(40, 0).build();

    @Test
    void learnsAPlantedMotifFromScratchAndEvaluateReproducesItsTestScores(@TempDir Path dir) throws Exception {
        PretrainedModel base = PlantedTasks.pretrainedRun(dir.resolve("pre"), PlantedTasks.tinyConfig(Positions.ROPE, 64));
        FineTuningData data = PlantedTasks.motifTask(1600, 16);
        FineTuning.Result r = FineTuning.run(base, data, FAST.toBuilder().steps(80).fromScratch(true).build(), dir.resolve("ft"), FineTuning.Listener.NONE);
        // chance is 0.5; 80 steps of 32 rows reach about 0.9
        assertTrue(r.test().get("accuracy") >= 0.85, "planted 8-mer, test " + r.test());
        assertTrue(r.test().get("auroc") >= 0.9, "planted 8-mer, test " + r.test());
        assertEquals(80, r.steps());

        FineTunedModel saved = FineTunedModel.open(dir.resolve("ft"));
        assertEquals("scratch", saved.head().base());
        assertEquals(List.of("background", "motif"), saved.head().labels());
        assertEquals(r.test(), saved.evaluate(data.test()), "evaluate on the saved model gives fine-tuning's test scores exactly");
        assertEquals(r.bestDev(), saved.evaluate(data.dev()), "the saved head carries the dev calibration: evaluate gives the reported dev scores");
        String result = Files.readString(dir.resolve("ft/result.json"));
        assertTrue(result.contains("\"best_step\" : " + r.bestStep()) && result.contains("\"test\""), result);
        List<String> predictions = Files.readAllLines(dir.resolve("ft").resolve(FineTuning.TEST_PREDICTIONS));
        assertEquals("line\tlabel\tp_background\tp_motif", predictions.get(0));
        assertEquals(data.test().size() + 1, predictions.size());
        float[] fromFile = new float[2 * data.test().size()];
        for (int i = 0; i < data.test().size(); i++) {
            String[] f = predictions.get(i + 1).split("\t");
            fromFile[2 * i] = Float.parseFloat(f[2]);
            fromFile[2 * i + 1] = Float.parseFloat(f[3]);
        }
        assertArrayEquals(r.testOutputs(), fromFile, "the file holds the outputs exactly");
        assertEquals(r.test(), TaskScores.classification(data.test().classLabels(), fromFile, 2), "and they give the test scores");
        assertTrue(result.contains("\"from_scratch\" : true") && result.contains("\"calibrated\" : " + FAST.head().calibrate()), "the recipe is recorded: " + result);

        assertThrows(IllegalArgumentException.class, () -> FineTuning.run(base, data, FAST.toBuilder().steps(1).build(), dir.resolve("ft"), FineTuning.Listener.NONE),
                "an output directory that holds a model is not overwritten");
        IllegalArgumentException notPretrained = assertThrows(IllegalArgumentException.class,
                () -> FineTuning.run(dir.resolve("ft"), data, FAST.toBuilder().steps(1).build(), dir.resolve("ft2"), FineTuning.Listener.NONE));
        assertTrue(notPretrained.getMessage().contains("is a fine-tuned model"), notPretrained.getMessage());

        new KmerTokenizer(3).save(dir.resolve("ft/tokenizer.json"));
        IllegalArgumentException wrongTokenizer = assertThrows(IllegalArgumentException.class, () -> FineTunedModel.open(dir.resolve("ft")));
        assertTrue(wrongTokenizer.getMessage().contains("the tokenizer does not belong to this model"), wrongTokenizer.getMessage());
    }

    @Test
    void reverseComplementAugmentationHidesTheStrand(@TempDir Path dir) throws Exception {
        PretrainedModel base = PlantedTasks.pretrainedRun(dir.resolve("pre"), PlantedTasks.tinyConfig(Positions.ROPE, 64));
        FineTuningData data = PlantedTasks.strandTask(1600, 16);
        FineTuning.Settings settings = FAST.toBuilder().steps(80).fromScratch(true).build();
        FineTuning.Result plain = FineTuning.run(base, data, settings, dir.resolve("plain"), FineTuning.Listener.NONE);
        FineTuning.Result augmented = FineTuning.run(base, data, settings.toBuilder().reverseComplement(true).build(), dir.resolve("rc"), FineTuning.Listener.NONE);
        // the label is the strand the 8-mer is read on: learnable from the rows as given, not from rows read from either strand
        assertTrue(plain.test().get("accuracy") >= 0.85, "plain, test " + plain.test());
        assertTrue(augmented.test().get("accuracy") <= 0.65, "augmented rows carry no strand, test " + augmented.test());
        assertTrue(Files.readString(dir.resolve("rc/result.json")).contains("\"reverse_complement\" : true"));
    }

    @Test
    void aBatchNormalisedHeadIsSavedWithItsRunningStatistics(@TempDir Path dir) throws Exception {
        PretrainedModel base = PlantedTasks.pretrainedRun(dir.resolve("pre"), PlantedTasks.tinyConfig(Positions.ROPE, 64));
        FineTuningData data = PlantedTasks.motifTask(400, 16);
        FineTuning.Result r = FineTuning.run(base, data, FAST.toBuilder().steps(20).evaluation(10, 0).probe(200).headNorm(true).build(),
                dir.resolve("ft"), FineTuning.Listener.NONE);
        FineTunedModel saved = FineTunedModel.open(dir.resolve("ft"));
        assertTrue(saved.head().normalised());
        float[] running = saved.load().head.norm.runningVar.toFloatArray();
        assertTrue(running[0] != 1f && running[1] != 1f, "the running variance was measured, not left at its initial 1");
        assertEquals(r.test(), saved.evaluate(data.test()), "evaluate normalises with the saved running statistics");
        assertTrue(Files.readString(dir.resolve("ft/result.json")).contains("\"head_norm\" : true"));

        // A head.json from before the field reads as an unnormalised head, which this checkpoint does not fit.
        Path headJson = dir.resolve("ft").resolve(FineTunedModel.HEAD);
        Files.writeString(headJson, Files.readString(headJson).replaceAll("\"normalised\" : true,?", ""));
        FineTunedModel old = FineTunedModel.open(dir.resolve("ft"));
        assertFalse(old.head().normalised());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class, old::load);
        assertTrue(mismatch.getMessage().contains("does not match its config.json and head.json") && mismatch.getMessage().contains("head.norm"),
                mismatch.getMessage());
    }

    /**
     * Known answer: the dev labels are the train labels flipped, so learning the task only lowers
     * dev MCC and the first evaluation (step 5, still in warmup: near chance) is the best. With
     * patience 2 the run stops two evaluations later, and the model it returns and saves is the one
     * from the first evaluation. Uncalibrated, so that the scores reported during training are
     * exactly those of the saved weights.
     */
    @Test
    void earlyStoppingRestoresTheBestDevWeights(@TempDir Path dir) throws Exception {
        PretrainedModel base = PlantedTasks.pretrainedRun(dir.resolve("pre"), PlantedTasks.tinyConfig(Positions.ROPE, 64));
        FineTuningData planted = PlantedTasks.motifTask(1600, 16);
        FineTuningData data = new FineTuningData("flipped-dev", planted.train(), PlantedTasks.flipped(planted.dev()), planted.test(), planted.labels());
        List<Integer> steps = new ArrayList<>();
        List<TaskScores> devs = new ArrayList<>();
        FineTuning.Result r = FineTuning.run(base, data, FAST.toBuilder().steps(1000).evaluation(5, 2).fromScratch(true).calibrate(false).build(), dir.resolve("ft"),
                new FineTuning.Listener() {
                    @Override
                    public void evaluation(int step, TaskScores dev, boolean best) {
                        steps.add(step);
                        devs.add(dev);
                    }
                });
        assertEquals(List.of(5, 10, 15), steps);
        assertTrue(r.stoppedEarly());
        assertEquals(15, r.steps());
        assertEquals(5, r.bestStep());
        assertEquals(devs.get(0), r.bestDev());
        assertTrue(devs.get(2).primary() < devs.get(0).primary() - 0.2, "dev MCC falls as the flipped task is learned: " + devs);

        FineTunedModel saved = FineTunedModel.open(dir.resolve("ft"));
        assertTrue(saved.checkpoint().endsWith("step-0000005"), saved.checkpoint().toString());
        assertEquals(devs.get(0), saved.evaluate(data.dev()), "the saved weights are the step-5 ones");
        assertNotEquals(devs.get(2), saved.evaluate(data.dev()));
    }

    @Test
    void aHeadLearningRateScaleOfZeroFreezesTheHeadOnly(@TempDir Path dir) throws Exception {
        PretrainedModel base = PlantedTasks.pretrainedRun(dir.resolve("pre"), PlantedTasks.tinyConfig(Positions.ROPE, 64));
        FineTuningData data = PlantedTasks.motifTask(64, 16);
        // Uncalibrated: calibration moves the kept head's bias on purpose.
        FineTuning.Settings fewSteps = FAST.toBuilder().steps(3).evaluation(3, 0).calibrate(false).build();
        FineTuning.run(base, data, fewSteps.toBuilder().lr(1e-12f).build(), dir.resolve("start"), FineTuning.Listener.NONE);
        FineTuning.run(base, data, fewSteps.toBuilder().headLrScale(0f).build(), dir.resolve("frozen"), FineTuning.Listener.NONE);
        Map<String, Tensor> start = SafeTensors.read(dir.resolve("start/step-0000003/model.safetensors")).tensors();
        Map<String, Tensor> frozen = SafeTensors.read(dir.resolve("frozen/step-0000003/model.safetensors")).tensors();
        int heads = 0;
        for (String name : start.keySet()) {
            double moved = maxDiff(start.get(name), frozen.get(name));
            if (name.startsWith("head.")) {
                heads++;
                assertTrue(moved < 1e-6, name + " stays as drawn: " + moved);
            } else if (name.endsWith("weight") && !name.contains("norm")) {
                assertTrue(moved > 1e-5, name + " trains: " + moved);
            }
        }
        assertEquals(2, heads, "the head's weight and bias: " + start.keySet());
    }

    @Test
    void pretrainedStartCopiesTheEncoderAndFromScratchDoesNot(@TempDir Path dir) throws Exception {
        PretrainedModel base = PlantedTasks.pretrainedRun(dir.resolve("pre"), PlantedTasks.tinyConfig(Positions.ROPE, 64));
        FineTuningData data = PlantedTasks.motifTask(64, 16);
        FineTuning.Settings oneTinyStep = FAST.toBuilder().steps(1).lr(1e-12f).build();
        FineTuning.run(base, data, oneTinyStep, dir.resolve("pretrained"), FineTuning.Listener.NONE);
        FineTuning.run(base, data, oneTinyStep.toBuilder().fromScratch(true).build(), dir.resolve("scratch"), FineTuning.Listener.NONE);

        Map<String, Tensor> pre = SafeTensors.read(base.checkpoint().resolve("model.safetensors")).tensors();
        Map<String, Tensor> tuned = SafeTensors.read(dir.resolve("pretrained/step-0000001/model.safetensors")).tensors();
        Map<String, Tensor> scratch = SafeTensors.read(dir.resolve("scratch/step-0000001/model.safetensors")).tensors();
        int encoderTensors = 0;
        for (String name : tuned.keySet()) {
            if (!name.startsWith("encoder.")) continue;
            encoderTensors++;
            assertTrue(maxDiff(pre.get(name), tuned.get(name)) < 1e-6, name + " starts from the pretrained weights");
            if (name.endsWith("weight") && !name.contains("norm")) {
                assertTrue(maxDiff(pre.get(name), scratch.get(name)) > 1e-3, name + " is freshly drawn from scratch");
            }
        }
        assertTrue(encoderTensors > 10);
        assertTrue(tuned.containsKey("head.output.weight"));
        assertTrue(FineTunedModel.open(dir.resolve("pretrained")).head().base().endsWith("step-0000001"));
    }

    @Test
    void tooLongSequencesAreAnErrorUnlessTruncationIsAsked(@TempDir Path dir) throws Exception {
        PretrainedModel base = PlantedTasks.pretrainedRun(dir.resolve("pre"), PlantedTasks.tinyConfig(Positions.LEARNED, 20));
        FineTuningData data = PlantedTasks.motifTask(32, 24);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FineTuning.run(base, data, FAST.toBuilder().steps(1).build(), dir.resolve("a"), FineTuning.Listener.NONE));
        assertTrue(e.getMessage().contains("24 bases gives 26 tokens, more than this model's limit of 20"), e.getMessage());
        assertTrue(e.getMessage().contains("--truncate"), e.getMessage());

        FineTuning.Result r = FineTuning.run(base, data, FAST.toBuilder().steps(2).truncation(LabelledDataset.Truncation.CENTER).build(), dir.resolve("b"), FineTuning.Listener.NONE);
        assertEquals(2, r.steps());
        FineTunedModel saved = FineTunedModel.open(dir.resolve("b"));
        assertEquals(LabelledDataset.Truncation.CENTER, saved.head().truncationKind());
        assertEquals(r.test(), saved.evaluate(data.test()), "evaluate cuts rows as fine-tuning did");
    }

    @Test
    void regressionLearnsGcContent(@TempDir Path dir) throws Exception {
        PretrainedModel base = PlantedTasks.pretrainedRun(dir.resolve("pre"), PlantedTasks.tinyConfig(Positions.ROPE, 64));
        FineTuningData data = new FineTuningData("gc", PlantedTasks.gcContent("train", 640, 24, 1), PlantedTasks.gcContent("dev", 64, 24, 2),
                PlantedTasks.gcContent("test", 128, 24, 3), List.of("gc"));
        FineTuning.Result r = FineTuning.run(base, data, FAST.toBuilder().steps(60).lr(3e-3f).fromScratch(true).build(), dir.resolve("ft"), FineTuning.Listener.NONE);
        assertEquals(TaskScores.REGRESSION, r.test().kind());
        assertTrue(r.test().get("pearson") > 0.8, "GC fraction, test " + r.test());
        assertTrue(r.test().get("mse") < 0.01, "GC fraction, test " + r.test());
        assertEquals(r.test(), FineTunedModel.open(dir.resolve("ft")).evaluate(data.test()));
    }

    private static double maxDiff(Tensor a, Tensor b) {
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        return m;
    }
}

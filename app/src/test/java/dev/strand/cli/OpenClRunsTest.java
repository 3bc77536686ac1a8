package dev.strand.cli;

import static dev.strand.cli.OpenClTests.requireOpenCl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.train.PretrainedModel;
import dev.strand.tensor.Backends;
import dev.strand.tensor.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands with {@code --device opencl} end to end: the same numbers as on the CPU, and the whole main job. */
class OpenClRunsTest {
    private static final Pattern LOSS = Pattern.compile("\"loss\":([-0-9.Ee]+)");

    @AfterEach
    void backToTheCpu() {
        Backends.setDefaultDevice(Device.CPU);   // a command leaves its device as the default
    }

    private static List<String> pretrain(Path out, String device) {
        return List.of("pretrain", "--fasta", CliRun.resource("lambda_virus.fa").toString(), "--out", out.toString(),
                "--steps", "6", "--batch", "4", "--window", "64", "--dim", "32", "--layers", "1", "--heads", "2",
                "--eval-every", "3", "--checkpoint-every", "3", "--device", device);
    }

    private static double[] losses(Path run) throws Exception {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream().map(LOSS::matcher).filter(Matcher::find)
                .mapToDouble(m -> Double.parseDouble(m.group(1))).toArray();
    }

    @Test
    void pretrainingOnTheDeviceGivesTheCpuLossesAndACheckpointTheCpuOpens(@TempDir Path dir) throws Exception {
        requireOpenCl();
        CliRun cpu = CliRun.of(pretrain(dir.resolve("cpu"), "cpu"));
        assertEquals(0, cpu.exit(), cpu.err());
        CliRun device = CliRun.of(pretrain(dir.resolve("opencl"), "opencl"));
        assertEquals(0, device.exit(), device.err());

        // Dropout masks and masking draws match bit for bit across backends; sums differ only in rounding.
        double[] expected = losses(dir.resolve("cpu")), actual = losses(dir.resolve("opencl"));
        assertEquals(8, expected.length, "6 train losses and 2 validation losses");
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-3 * Math.abs(expected[i]), "loss record " + i + " on opencl against the cpu");
        }
        Backends.setDefaultDevice(Device.CPU);
        assertEquals(Device.CPU, PretrainedModel.open(dir.resolve("opencl")).loadBert().namedParameters().values().iterator().next()
                .data().device(), "a checkpoint written from the device opens on the CPU");
    }

    @Test
    void theAttentionWalkthroughPrintsTheSameMatricesOnTheDevice() {
        requireOpenCl();
        for (String[] example : new String[][] {{}, {"--tokens", "ACGT", "--dim", "3"}}) {
            CliRun cpu = CliRun.of(concat(new String[] {"explain-attention"}, example));
            CliRun device = CliRun.of(concat(new String[] {"explain-attention", "--device", "opencl"}, example));
            assertEquals(0, device.exit(), device.err());
            assertTrue(cpu.out().contains("softmax"), cpu.out());
            assertEquals(cpu.out(), device.out(), "explain-attention " + String.join(" ", example));
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void theMainJobRunsWholeOnTheDevice(@TempDir Path dir) throws Exception {
        requireOpenCl();
        Path out = dir.resolve("qs");
        CliRun run = CliRun.of("quickstart", "--out", out.toString(), "--pretrained", QuickstartCommandTest.shipped(out.getParent()).toString(),
                "--genome", CliRun.resource("lambda_virus.fa").toString(), "--task-data", CliRun.resource("promoters").toString(),
                "--splice-data", CliRun.resource("promoters").toString(), "--variants-fasta", CliRun.resource("chr22_20M_first20kb.fa").toString(),
                "--variants", CliRun.resource("chr22_20M_first20kb.snp").toString(), "--pretrain-steps", "10", "--finetune-steps", "4",
                "--own-finetune-steps", "2", "--window", "64", "--dim", "16", "--layers", "1", "--heads", "2", "--batch", "8", "--attention-sequences", "1",
                "--motif-sequences", "6", "--device", "opencl");
        assertEquals(0, run.exit(), run.out() + run.err());
        for (int step = 1; step <= 7; step++) assertTrue(run.out().contains("[" + step + "/7]"), "step " + step + " announced");
        assertTrue(run.out().contains("--device opencl"), "each step's command names the device");
        String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.contains("fine-tuned from the shipped checkpoint") && summary.contains("AUROC of dbSNP"), summary);
    }
}

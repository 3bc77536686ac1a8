package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.train.PretrainedModel;
import dev.strand.nn.checkpoint.Checkpoint;
import dev.strand.nn.checkpoint.SafeTensors;
import dev.strand.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pretrain end to end on the real phage lambda genome (48 kb): files, metrics, resume equality, errors. */
class PretrainCommandTest {
    private static String[] args(Path fasta, Path out, String... extra) {
        return args(fasta.toString(), out, extra);
    }

    private static String[] args(String fasta, Path out, String... extra) {
        List<String> a = concat(tiny(fasta, "--out", out.toString(), "--steps", "6", "--eval-every", "3", "--checkpoint-every", "3"), extra);
        return a.toArray(new String[0]);
    }

    /** pretrain of a tiny model (batch 4, windows of 64 bases, d 32, 1 layer, 2 heads) on {@code fasta}, then {@code more}. */
    private static List<String> tiny(Object fasta, String... more) {
        return concat(List.of("pretrain", "--fasta", fasta.toString(), "--batch", "4", "--window", "64", "--dim", "32", "--layers", "1",
                "--heads", "2"), more);
    }

    @Test
    void runsWritesMetricsAndResumesExactly(@TempDir Path dir) throws Exception {
        Path fasta = Path.of(PretrainCommandTest.class.getResource("/lambda_virus.fa").toURI());
        Path straight = dir.resolve("straight");
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true));
        try {
            assertEquals(0, Main.run(args(fasta, straight)));
        } finally {
            System.setOut(old);
        }
        assertTrue(buf.toString().contains("bits per masked base") && buf.toString().contains("order-5 Markov baseline"), buf.toString());
        List<String> metrics = Files.readAllLines(straight.resolve("metrics.jsonl"));
        assertEquals(8, metrics.size(), "6 train records and 2 validations");
        assertTrue(metrics.stream().anyMatch(l -> l.contains("\"split\":\"valid\"") && l.contains("bits_per_base")));
        assertTrue(Files.exists(straight.resolve("tokenizer.json")));

        // The run opens as a pretrained model: its newest weights, tokenizer and objective.
        PretrainedModel opened = PretrainedModel.open(straight);
        assertEquals(PretrainedModel.Objective.MLM, opened.objective());
        assertTrue(opened.checkpoint().endsWith("step-0000006"));
        Map<String, Tensor> saved = SafeTensors.read(straight.resolve("step-0000006/model.safetensors")).tensors();
        opened.loadBert().stateDict().forEach((k, t) -> assertArrayEquals(saved.get(k).toFloatArray(), t.toFloatArray(), k));
        IllegalArgumentException notCausal = assertThrows(IllegalArgumentException.class, opened::loadGpt);
        assertTrue(notCausal.getMessage().contains("--objective causal"), notCausal.getMessage());

        // A run that stopped right after its step-3 checkpoint, then resumed.
        Path resumed = dir.resolve("resumed");
        Files.createDirectories(resumed);
        CliRun.copyTree(straight.resolve("step-0000003"), resumed.resolve("step-0000003"));
        Files.writeString(resumed.resolve("latest"), "step-0000003\n");
        assertEquals(0, Main.run(args(fasta, resumed, "--resume")));

        Map<String, Tensor> a = SafeTensors.read(straight.resolve("step-0000006/model.safetensors")).tensors();
        Map<String, Tensor> b = SafeTensors.read(resumed.resolve("step-0000006/model.safetensors")).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);

        assertNotEquals(0, Main.run(args(fasta, straight)), "an existing run needs --resume");
        assertNotEquals(0, Main.run(args(dir.resolve("missing.fa"), dir.resolve("x"))));
    }

    @Test
    void aDivergingRunStopsWithOneLineANonZeroExitAndItsLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        Path fasta = CliRun.resource("lambda_virus.fa");
        Path out = dir.resolve("run");
        // A sane first stretch with a checkpoint, then the same run resumed at a learning rate that blows up.
        List<String> common = tiny(fasta, "--out", out.toString(), "--eval-every", "0", "--checkpoint-every", "3");
        assertEquals(0, CliRun.of(concat(common, "--steps", "3")).exit());
        CliRun r = CliRun.of(concat(common, "--steps", "12", "--resume", "--lr", "1e30"));
        assertEquals(1, r.exit());
        String line = r.errorLine();
        assertTrue(line.contains("training diverged at step") && line.contains("learning rate"), line);
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        String latest = Files.readString(out.resolve("latest")).trim();
        Map<String, Tensor> kept = SafeTensors.read(out.resolve(latest).resolve("model.safetensors")).tensors();
        kept.forEach((k, t) -> {
            for (float v : t.toFloatArray()) assertTrue(Float.isFinite(v), latest + " holds a non-finite value in " + k);
        });
    }

    @Test
    void aRunDirectoryIsProtectedFromASecondWriterAndFromPartialState(@TempDir Path dir) throws Exception {
        Path fasta = CliRun.resource("lambda_virus.fa");
        Path out = dir.resolve("run");
        List<String> common = tiny(fasta, "--out", out.toString(), "--eval-every", "2", "--checkpoint-every", "2");
        // Another writer holds the directory: refused in one line, nothing written.
        try (var lock = dev.strand.nn.checkpoint.RunLock.acquire(out)) {
            CliRun busy = CliRun.of(concat(common, "--steps", "2"));
            assertEquals(1, busy.exit());
            assertTrue(busy.errorLine().contains("being written by another strand process"), busy.err());
        }
        assertTrue(Files.notExists(out.resolve("latest")));

        assertEquals(0, CliRun.of(concat(common, "--steps", "4")).exit());
        // An interrupted checkpoint write's temp folder is removed by the next run.
        Files.createDirectories(out.resolve(".step-0000006.1f2e.tmp"));
        // Without latest, step folders are neither overwritten nor guessed at.
        Files.move(out.resolve("latest"), dir.resolve("latest.away"));
        for (String resume : new String[] {"--steps", "--resume"}) {
            List<String> a = concat(common, "--steps", "6");
            if (resume.equals("--resume")) a.add("--resume");
            CliRun r = CliRun.of(a);
            assertEquals(1, r.exit());
            assertTrue(r.errorLine().contains("no 'latest'") && r.errorLine().contains("step-0000004"), r.err());
        }
        Files.move(dir.resolve("latest.away"), out.resolve("latest"));
        // Without optimizer state, an exact resume is refused; --resume-weights-only goes on.
        Files.move(out.resolve("step-0000004/optimizer.safetensors"), dir.resolve("optimizer.away"));
        CliRun inexact = CliRun.of(concat(common, "--steps", "6", "--resume"));
        assertEquals(1, inexact.exit());
        assertTrue(inexact.errorLine().contains("optimizer.safetensors") && inexact.errorLine().contains("--resume-weights-only"), inexact.err());
        Files.move(dir.resolve("optimizer.away"), out.resolve("step-0000004/optimizer.safetensors"));

        // Steps redone after a resume are logged once: cut the run back to step 2 (as a kill after it would), resume to 6.
        Files.writeString(out.resolve("latest"), "step-0000002\n");
        assertEquals(0, CliRun.of(concat(common, "--steps", "6", "--resume")).exit());
        assertTrue(Files.notExists(out.resolve(".step-0000006.1f2e.tmp")), "leftover temp folder removed");
        List<Integer> trainSteps = Files.readAllLines(out.resolve("metrics.jsonl")).stream().filter(l -> l.contains("\"split\":\"train\""))
                .map(l -> Integer.parseInt(l.replaceAll(".*\"step\":(\\d+).*", "$1"))).toList();
        assertEquals(List.of(1, 2, 3, 4, 5, 6), trainSteps);

        // And a checkpoint without optimizer state resumes from its weights alone when asked to.
        Files.delete(out.resolve("step-0000006/optimizer.safetensors"));
        CliRun weightsOnly = CliRun.of(concat(common, "--steps", "8", "--resume-weights-only"));
        assertEquals(0, weightsOnly.exit(), weightsOnly.err());
        assertTrue(weightsOnly.err().contains("fresh optimizer"), weightsOnly.err());
    }

    @Test
    void aRunKilledWithSigkillLeavesNoLockAndResumesToTheSameWeights(@TempDir Path dir) throws Exception {
        Path fasta = CliRun.resource("lambda_virus.fa");
        Path straight = dir.resolve("straight"), killed = dir.resolve("killed");
        List<String> common = tiny(fasta, "--eval-every", "0", "--checkpoint-every", "5", "--steps", "150");
        // A child JVM trains until its first checkpoints exist, then dies by SIGKILL, lock held, mid-step.
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(concat(common, "--out", killed.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (Checkpoint.stepFolders(killed).size() < 2) {
                assertTrue(child.isAlive(), "the child ended early: " + Files.readString(dir.resolve("child.log")));
                assertTrue(System.nanoTime() < deadline, "no checkpoints within 2 minutes");
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly();   // SIGKILL on Linux: no shutdown hooks, no finally blocks
            child.waitFor();
        }
        assertTrue(Checkpoint.stepFolders(killed).size() < 30, "the child was killed before it finished");
        // The OS released the lock with the process; the run resumes from its newest complete checkpoint.
        CliRun resumed = CliRun.of(concat(common, "--out", killed.toString(), "--resume"));
        assertEquals(0, resumed.exit(), resumed.err());
        assertEquals(0, CliRun.of(concat(common, "--out", straight.toString())).exit());
        Map<String, Tensor> a = SafeTensors.read(straight.resolve("step-0000150/model.safetensors")).tensors();
        Map<String, Tensor> b = SafeTensors.read(killed.resolve("step-0000150/model.safetensors")).tensors();
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
        try (var left = Files.list(killed)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp folder left behind");
        }
    }

    @Test
    void badNumbersAreRefusedBeforeAnyWorkNamingTheOptionAndTheValue(@TempDir Path dir) {
        Path fasta = CliRun.resource("lambda_virus.fa");
        String[][] cases = {
            {"--heads", "0", "--heads must be at least 1, got 0"},
            {"--layers", "0", "--layers must be at least 1, got 0"},
            {"--dim", "0", "--dim must be at least 1, got 0"},
            {"--dim", "30", "--dim 30 must be a multiple of --heads 4"},
            {"--markov-order", "40", "--markov-order must be in [0, 11], got 40"},
            {"--lr", "Infinity", "--lr must be a positive number, got Infinity"},
            {"--tokenizer", "no/such/tokenizer.json", "no tokenizer file at no/such/tokenizer.json"},
            {"--data-shards", "-1", "--data-shards must be at least 0, got -1"},
            {"--data-shards", "3", "a batch of 2 rows cannot be cut into 3 data shards"},
            {"--fasta", "hdfs://namenode/genome.fa", "hdfs://namenode/genome.fa is not a local file: FASTA on other file systems is read with --spark"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("run-" + c[0].substring(2) + c[1].hashCode());
            List<String> a = new java.util.ArrayList<>(List.of("pretrain", "--fasta", fasta.toString(), "--out", out.toString(), "--steps", "1",
                    "--batch", "2", "--window", "32", "--eval-every", "0"));
            if (!c[0].equals("--heads")) a.addAll(List.of("--heads", "4"));
            a.addAll(List.of(c[0], c[1]));
            CliRun r = CliRun.of(a);
            assertEquals(1, r.exit(), String.join(" ", a));
            assertTrue(r.errorLine().contains(c[2]), r.err());
            assertTrue(Files.notExists(out.resolve("latest")), "no training before the check");
        }
    }

    @Test
    void causalRunOnTwoTaggedGenomesResumesExactly(@TempDir Path dir) throws Exception {
        Path lambda = Path.of(PretrainCommandTest.class.getResource("/lambda_virus.fa").toURI());
        Path human = Path.of(PretrainCommandTest.class.getResource("/chr22_20M_first20kb.fa").toURI());
        Path straight = dir.resolve("straight"), resumed = dir.resolve("resumed");
        String[] extra = {"--fasta", human + ":species=hsap", "--tag", "kingdom=any", "--objective", "causal", "--optimizer", "adam",
                "--schedule", "linear", "--positions", "LEARNED"};
        CliRun run = CliRun.of(args(lambda.toAbsolutePath() + ":species=lambda", straight, extra));
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("validation: next-token loss") && run.out().contains("bits per base"), run.out());
        assertTrue(Files.readAllLines(straight.resolve("metrics.jsonl")).stream().anyMatch(l -> l.contains("next_token_accuracy")));
        PretrainedModel opened = PretrainedModel.open(straight);
        assertEquals(PretrainedModel.Objective.CAUSAL, opened.objective());
        assertEquals(List.of("<kingdom=any>", "<species=lambda>", "<species=hsap>"), opened.tokenizer().controlTags());
        assertEquals(64 + 2 + 2, opened.config().maxLength(), "a window's tokens, [CLS], [SEP] and two tags");
        opened.loadGpt();

        Files.createDirectories(resumed);
        CliRun.copyTree(straight.resolve("step-0000003"), resumed.resolve("step-0000003"));
        Files.writeString(resumed.resolve("latest"), "step-0000003\n");
        Files.copy(straight.resolve("tokenizer.json"), resumed.resolve("tokenizer.json"));
        Files.copy(straight.resolve("objective"), resumed.resolve("objective"));
        CliRun wrongObjective = CliRun.of(args(lambda + ":species=lambda", resumed, "--fasta", human + ":species=hsap", "--tag", "kingdom=any", "--resume"));
        assertEquals(1, wrongObjective.exit());
        assertTrue(wrongObjective.errorLine().contains("resume it with --objective causal"), wrongObjective.err());
        CliRun again = CliRun.of(args(lambda + ":species=lambda", resumed, concat(extra, "--resume")));
        assertEquals(0, again.exit(), again.err());
        Map<String, Tensor> a = SafeTensors.read(straight.resolve("step-0000006/model.safetensors")).tensors();
        Map<String, Tensor> b = SafeTensors.read(resumed.resolve("step-0000006/model.safetensors")).tensors();
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);

        CliRun optimizer = CliRun.of(args(lambda.toString(), dir.resolve("o"), "--optimizer", "lion"));
        assertEquals(1, optimizer.exit());
        assertTrue(optimizer.errorLine().contains("use adamw, adam or sgd"), optimizer.err());
        CliRun badTag = CliRun.of(args(lambda + ":species dmel=1", dir.resolve("t")));
        assertEquals(1, badTag.exit());
    }

    @Test
    void learnsABpeVocabularyFromTheTrainingWindowsAndKeepsItOnResume(@TempDir Path dir) throws Exception {
        Path lambda = Path.of(PretrainCommandTest.class.getResource("/lambda_virus.fa").toURI());
        Path straight = dir.resolve("straight"), resumed = dir.resolve("resumed");
        CliRun run = CliRun.of(args(lambda, straight, "--tokenizer", "bpe:64"));
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("BPE merges") && run.out().contains("bits per masked base"), run.err() + run.out());
        PretrainedModel opened = PretrainedModel.open(straight);
        assertEquals("bpe", opened.tokenizer().kind());
        assertEquals(64, opened.tokenizer().vocabSize());
        int[] ids = opened.tokenizer().encode("GATGGGCGGCGGCGCGAAGCGGCGGTGCAGGCTGGCCGCTTCCCG");
        assertTrue(ids.length < 45, "merges make tokens of several bases: " + ids.length + " tokens for 45 bases");

        // Resuming reads the saved vocabulary instead of learning one again, and ends where the straight run did.
        Files.createDirectories(resumed);
        CliRun.copyTree(straight.resolve("step-0000003"), resumed.resolve("step-0000003"));
        Files.writeString(resumed.resolve("latest"), "step-0000003\n");
        Files.copy(straight.resolve("tokenizer.json"), resumed.resolve("tokenizer.json"));
        CliRun again = CliRun.of(args(lambda, resumed, "--tokenizer", "bpe:64", "--resume"));
        assertEquals(0, again.exit(), again.err());
        assertTrue(!again.err().contains("BPE merges"), again.err());
        Map<String, Tensor> a = SafeTensors.read(straight.resolve("step-0000006/model.safetensors")).tensors();
        Map<String, Tensor> b = SafeTensors.read(resumed.resolve("step-0000006/model.safetensors")).tensors();
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);

        CliRun otherSize = CliRun.of(args(lambda, resumed, "--tokenizer", "bpe:80", "--resume"));
        assertEquals(1, otherSize.exit());
        assertTrue(otherSize.errorLine().contains("not bpe:80"), otherSize.err());
        CliRun bad = CliRun.of(args(lambda, dir.resolve("bad"), "--tokenizer", "bpe:many"));
        assertEquals(1, bad.exit());
        assertTrue(bad.errorLine().contains("use bpe:V"), bad.err());
    }

    @Test
    void trainFastaIsTrainedOnWholeButNeverValidatedOn(@TempDir Path dir) throws Exception {
        Path lambda = Path.of(PretrainCommandTest.class.getResource("/lambda_virus.fa").toURI());
        // 70-base records: held out by a tenth they would offer no 64-base window at all
        String genome = Files.readAllLines(Path.of(PretrainCommandTest.class.getResource("/chr22_20M_first20kb.fa").toURI()))
                .stream().skip(1).collect(java.util.stream.Collectors.joining()).replace("N", "");
        StringBuilder task = new StringBuilder();
        for (int i = 0; i < 200; i++) task.append(">row").append(i).append('\n').append(genome, i * 70, i * 70 + 70).append('\n');
        Path short70 = dir.resolve("task-train.fa");
        Files.writeString(short70, task);

        CliRun alone = CliRun.of(args(lambda, dir.resolve("alone")));
        CliRun both = CliRun.of(args(lambda, dir.resolve("both"), "--train-fasta", short70.toString()));
        assertEquals(0, alone.exit(), alone.err());
        assertEquals(0, both.exit(), both.err());
        java.util.regex.Pattern positions = java.util.regex.Pattern.compile("\\((\\d+) positions\\)");
        java.util.regex.Pattern markov = java.util.regex.Pattern.compile("Markov baseline on the same held-out DNA: ([0-9.]+)");
        assertEquals(group(positions, alone.out()), group(positions, both.out()), "validation is the --fasta file's held-out tenth only");
        assertNotEquals(group(markov, alone.out()), group(markov, both.out()), "the baseline is fitted on the training records too");

        CliRun onlyShort = CliRun.of(args(short70, dir.resolve("short")));
        assertNotEquals(0, onlyShort.exit(), "as a --fasta, a tenth of each record is held out and no window fits");
    }

    private static String group(java.util.regex.Pattern p, String text) {
        java.util.regex.Matcher m = p.matcher(text);
        assertTrue(m.find(), p + " in " + text);
        return m.group(1);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }


    private static List<String> concat(List<String> a, String... more) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(List.of(more));
        return all;
    }
}

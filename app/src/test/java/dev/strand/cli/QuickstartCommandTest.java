package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.variants.ScoreTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job end to end on the small real data the tests ship (phage lambda, a cut of the fly
 * promoter task, the first 20 kb of the human chr22 chunk with its dbSNP variants), tiny sizes:
 * every step's files, a summary with numbers in range, and a rerun that resumes pretraining.
 */
class QuickstartCommandTest {
    private static Path resource(String name) {
        return CliRun.resource(name);
    }

    private static String[] args(Path out) {
        return new String[] {"quickstart", "--out", out.toString(), "--genome", resource("lambda_virus.fa").toString(),
                "--task-data", resource("promoters").toString(), "--variants-fasta", resource("chr22_20M_first20kb.fa").toString(),
                "--variants", resource("chr22_20M_first20kb.snp").toString(), "--pretrain-steps", "10", "--finetune-steps", "8",
                "--window", "64", "--dim", "16", "--layers", "1", "--heads", "2", "--batch", "8", "--attention-sequences", "1",
                "--motif-sequences", "6", "--task-adaptive"};
    }

    private static String run(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exit(), r.out() + r.err());
        return r.out();
    }

    @Test
    void runsEveryStepAndSummarises(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("qs");
        String printed = run(args(out));
        for (int step = 1; step <= 6; step++) assertTrue(printed.contains("[" + step + "/6]"), "step " + step + " announced");
        assertTrue(printed.contains("$ strand pretrain --out"), "each step shows the command that reruns it");
        // task-adaptive pretraining reads the task's training sequences, unlabelled, and never its test ones
        assertTrue(printed.contains("--train-fasta " + out.resolve("task-train.fa")), printed);
        List<String> fasta = Files.readAllLines(out.resolve("task-train.fa"));
        List<String> train = Files.readAllLines(resource("promoters").resolve("train.csv"));
        assertEquals(train.size() - 1, fasta.stream().filter(l -> l.startsWith(">")).count());
        assertEquals(train.get(1).split(",")[0], fasta.get(1));
        String test = Files.readString(resource("promoters").resolve("test.csv"));
        for (int i = 1; i < fasta.size(); i += 2) assertTrue(!test.contains(fasta.get(i)), "a test sequence in the pretraining FASTA");

        String summary = Files.readString(out.resolve("summary.txt"));
        assertTrue(summary.contains("bits per masked base") && summary.contains("Markov baseline"), summary);
        assertTrue(summary.contains("fine-tuned from pretraining") && summary.contains("same model from scratch")
                && summary.contains("4-mer logistic regression"), summary);
        assertTrue(summary.matches("(?s).*MCC \\(95% interval [-+]\\d\\.\\d{3} to [-+]\\d\\.\\d{3}\\).*paired bootstrap over the \\d+ test rows.*"), summary);
        assertTrue(summary.matches("(?s).*AUROC of dbSNP against random substitutions at the same positions 0\\.\\d{3}.*"), summary);

        assertTrue(Files.exists(out.resolve("pretrain/latest")));
        assertTrue(Files.exists(out.resolve("finetune/result.json")) && Files.exists(out.resolve("finetune/baseline.json")));
        assertTrue(Files.exists(out.resolve("finetune-scratch/result.json")));
        assertTrue(Files.exists(out.resolve("finetune-lora/adapter_model.safetensors")), "the LoRA row's adapters");
        assertTrue(summary.matches("(?s).*LoRA on the frozen encoder   0\\.\\d{3} / .*\\(r 8 on query, key, value, dense: \\d+\\.\\d % of the parameters trained; \\d+ s, full fine-tuning \\d+ s\\).*"),
                summary);
        List<String> scores = Files.readAllLines(out.resolve("variant_scores.tsv"));
        assertEquals(ScoreTable.HEADER, scores.get(0));
        assertTrue(scores.size() > 80, "the cut's variants and their controls are all listed");
        assertTrue(Files.exists(out.resolve("attention/motifs.tsv")));
        try (var s = Files.list(out.resolve("attention"))) {
            assertTrue(s.anyMatch(p -> Files.exists(p.resolve("all_heads.png")) && Files.exists(p.resolve("scores.tsv"))));
        }

        // A second run resumes the finished pretraining (no new steps) and redoes the rest.
        String again = run(args(out));
        assertTrue(again.contains("--resume"), again);
        assertEquals(summary.lines().findFirst().orElseThrow(), Files.readString(out.resolve("summary.txt")).lines().findFirst().orElseThrow());
    }

    @Test
    void missingInputIsOneClearLine(@TempDir Path dir) {
        String[] a = args(dir.resolve("qs"));
        a[4] = dir.resolve("nope.fa").toString();
        CliRun r = CliRun.of(a);
        assertNotEquals(0, r.exit());
        assertTrue(r.errorLine().contains("nope.fa"), r.err());
    }
}

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

    /** A tiny overlapping-3-mer model standing in for the shipped checkpoint, made in {@code dir} once. */
    static Path shipped(Path dir) {
        Path model = dir.resolve("shipped");
        if (!Files.exists(model)) {
            run("pretrain", "--fasta", resource("lambda_virus.fa").toString(), "--tokenizer", "kmer:3", "--window", "64", "--dim", "16", "--layers", "1",
                    "--heads", "2", "--batch", "4", "--steps", "2", "--out", model.toString());
        }
        return model;
    }

    private static String[] args(Path out) {
        return new String[] {"quickstart", "--out", out.toString(), "--pretrained", shipped(out.getParent()).toString(), "--genome", resource("lambda_virus.fa").toString(),
                "--task-data", resource("promoters").toString(), "--splice-data", resource("promoters").toString(),
                "--variants-fasta", resource("chr22_20M_first20kb.fa").toString(),
                "--variants", resource("chr22_20M_first20kb.snp").toString(), "--pretrain-steps", "10", "--finetune-steps", "8", "--own-finetune-steps", "4",
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
        for (int step = 1; step <= 7; step++) assertTrue(printed.contains("[" + step + "/7]"), "step " + step + " announced");
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
        for (String task : List.of("promoters vs background", "splice sites")) {
            String table = summary.substring(summary.indexOf(task));
            for (String row : List.of("fine-tuned from the shipped checkpoint", "fine-tuned from this run's pretraining", "the same model from scratch",
                    "4-mer logistic regression")) {
                assertTrue(table.matches("(?s)  " + java.util.regex.Pattern.quote(row) + " +0\\.\\d{3} / 0\\.\\d{3} / -?0\\.\\d{3} / 0\\.\\d{3}   dev -?0\\.\\d{3}\n.*")
                        || table.contains("\n  " + row), task + ": " + row + " in " + table);
            }
            assertTrue(table.matches("(?s).*best on dev \\(.*\\) against the 4-mer logistic regression: [-+]\\d\\.\\d{3} MCC \\(95% interval [-+]\\d\\.\\d{3} to [-+]\\d\\.\\d{3}\\).*"), table);
            assertTrue(table.matches("(?s).*fine-tuned from the shipped checkpoint against the same model from scratch: [-+]\\d\\.\\d{3} MCC .*"
                    + "paired bootstrap over the \\d+ test rows.*"), table);
        }
        assertTrue(summary.matches("(?s).*AUROC of dbSNP against random substitutions at the same positions 0\\.\\d{3}.*"), summary);

        assertTrue(Files.exists(out.resolve("pretrain/latest")));
        for (String task : List.of("promoters", "splice")) {
            assertTrue(Files.exists(out.resolve("finetune-" + task + "/result.json")) && Files.exists(out.resolve("finetune-" + task + "/baseline.json")));
            assertTrue(Files.exists(out.resolve("finetune-" + task + "-scratch/result.json")));
            assertTrue(Files.exists(out.resolve("finetune-" + task + "-own/result.json")));
        }
        assertTrue(Files.readString(out.resolve("finetune-promoters-own/head.json")).contains(out.resolve("pretrain").toString()), "the own arm starts from this run's pretraining");
        assertTrue(Files.readString(out.resolve("finetune-promoters/head.json")).contains(out.getParent().resolve("shipped").toString()), "the first from the shipped one");
        assertTrue(Files.readString(out.resolve("finetune-promoters-scratch/head.json")).contains("\"scratch\""), "the third from none");
        assertTrue(Files.readString(out.resolve("finetune-promoters/result.json")).contains("\"reverse_complement\" : true"), "promoters read from either strand");
        assertTrue(Files.readString(out.resolve("finetune-splice/result.json")).contains("\"reverse_complement\" : false"), "splice sites from theirs");
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
        a[6] = dir.resolve("nope.fa").toString();
        CliRun r = CliRun.of(a);
        assertNotEquals(0, r.exit());
        assertTrue(r.errorLine().contains("nope.fa"), r.err());

        a = args(dir.resolve("qs"));
        a[4] = dir.resolve("no-model").toString();
        r = CliRun.of(a);
        assertNotEquals(0, r.exit());
        assertTrue(r.errorLine().contains("--pretrained " + dir.resolve("no-model") + " holds no checkpoint"), r.err());
    }
}

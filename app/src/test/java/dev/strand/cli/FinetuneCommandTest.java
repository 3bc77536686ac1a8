package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.NucleotideTokenizer;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.nn.checkpoint.Checkpoint;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * finetune and evaluate end to end on the real promoter cut in test resources (see its README),
 * from a tiny masked language model pretrained here on phage lambda: exit codes, files, metric
 * ranges, evaluate reproducing finetune's test metrics, and one clear line for each error.
 */
class FinetuneCommandTest {
    private static final JsonMapper JSON = new JsonMapper();

    @TempDir
    static Path dir;
    static Path pretrained, promoters;

    /** What a command printed and returned. */
    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            return new Run(Main.run(args), out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeAll
    static void pretrainATinyModel() throws Exception {
        promoters = promoterCut();
        pretrained = pretrainTiny(dir.resolve("pretrain"));
    }

    /** The real promoter cut in test resources (train.csv, test.csv). */
    static Path promoterCut() throws Exception {
        return Path.of(FinetuneCommandTest.class.getResource("/promoters/train.csv").toURI()).getParent();
    }

    /** A tiny masked language model (d 16, one layer) pretrained for two steps on phage lambda into {@code out}. */
    static Path pretrainTiny(Path out) throws Exception {
        Path lambda = Path.of(FinetuneCommandTest.class.getResource("/lambda_virus.fa").toURI());
        Run r = run("pretrain", "--fasta", lambda.toString(), "--out", out.toString(), "--steps", "2", "--batch", "2", "--window", "64",
                "--dim", "16", "--layers", "1", "--heads", "2", "--eval-every", "2", "--checkpoint-every", "2");
        assertEquals(0, r.exit(), r.err());
        return out;
    }

    @Test
    void finetunesOnRealPromotersAndEvaluateReproducesTheTestMetrics() throws Exception {
        Path out = dir.resolve("ft");
        Run r = run("finetune", "--model", pretrained.toString(), "--data", promoters.toString(), "--steps", "6", "--eval-every", "3",
                "--batch", "8", "--lr", "1e-3", "--baseline-k", "4", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("task promoters: train 240, dev 80, test 80 rows; classes [0, 1]"), r.out());
        assertTrue(r.out().contains("test (pretrained): accuracy "), r.out());
        assertTrue(r.err().contains("finetune [####################] 6/6") && r.err().contains("seq/s"), "progress bar: " + r.err());
        for (String f : List.of("head.json", "tokenizer.json", "result.json", "baseline.json", "metrics.jsonl", "latest")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }

        JsonNode result = JSON.readTree(out.resolve("result.json").toFile());
        assertEquals(6, result.get("steps").asInt());
        assertTrue(List.of(3, 6).contains(result.get("best_step").asInt()));
        assertEquals(80, result.get("test_rows").asInt());
        for (String m : List.of("accuracy", "f1", "mcc", "auroc")) {
            double v = result.get("test").get(m).asDouble();
            assertTrue(v >= (m.equals("mcc") ? -1 : 0) && v <= 1, m + " = " + v);
        }
        List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(6 + 2 + 1, metrics.size(), "6 train steps, 2 dev evaluations, 1 test record");
        assertTrue(metrics.get(metrics.size() - 1).contains("\"split\":\"test\"") && metrics.get(3).contains("\"split\":\"dev\""), String.join("\n", metrics));

        // The k-mer baseline on the same real split does clearly better than chance (k = 4, 240 training rows).
        JsonNode baseline = JSON.readTree(out.resolve("baseline.json").toFile());
        assertTrue(r.out().contains("test (k-mer baseline, k=4, both strands"), r.out());
        double baselineAccuracy = baseline.get("test").get("accuracy").asDouble();
        assertTrue(baselineAccuracy >= 0.6 && baselineAccuracy <= 1, "baseline " + baseline);
        assertTrue(baseline.get("test").get("auroc").asDouble() >= 0.6, "baseline " + baseline);

        Path metricsFile = dir.resolve("eval/metrics.json");
        Run e = run("evaluate", "--model", out.toString(), "--data", promoters.toString(), "--out", metricsFile.toString());
        assertEquals(0, e.exit(), e.err());
        assertTrue(e.out().contains("(80 rows, classification [0, 1]): accuracy"), e.out());
        JsonNode saved = JSON.readTree(metricsFile.toFile());
        for (Iterator<Map.Entry<String, JsonNode>> it = result.get("test").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            assertEquals(m.getValue().asDouble(), saved.get(m.getKey()).asDouble(), 0.0, "evaluate's " + m.getKey() + " is finetune's");
        }
        Run file = run("evaluate", "--model", out.toString(), "--data", promoters.resolve("test.csv").toString());
        assertEquals(0, file.exit(), file.err());
        assertTrue(file.out().contains(String.format(java.util.Locale.ROOT, "accuracy %.3f", result.get("test").get("accuracy").asDouble())), file.out());
    }

    @Test
    void fromScratchOnSplitFilesHoldsOutDevFromTrain() throws Exception {
        Path out = dir.resolve("scratch");
        Run r = run("finetune", "--model", pretrained.toString(), "--train", promoters.resolve("train.csv").toString(),
                "--test", promoters.resolve("test.csv").toString(), "--from-scratch", "--pooling", "mean", "--head-norm", "--steps", "2",
                "--eval-every", "2", "--batch", "8", "--average", "0.9", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("train 216, dev 24, test 80 rows"), r.out());
        assertTrue(r.out().contains("test (from scratch): accuracy"), r.out());
        JsonNode head = JSON.readTree(out.resolve("head.json").toFile());
        assertEquals("scratch", head.get("base").asText());
        assertEquals("mean", head.get("pooling").asText());
        assertTrue(head.get("normalised").asBoolean(), "--head-norm is recorded in head.json: " + head);
        assertEquals(0.9, JSON.readTree(out.resolve("result.json").toFile()).get("settings").get("weight_average_decay").asDouble(), 1e-6);
    }

    @Test
    void errorsAreOneClearLine() throws Exception {
        String model = pretrained.toString(), data = promoters.toString();
        String out = dir.resolve("never").toString();
        expectError("give one data source", "finetune", "--model", model, "--out", out);
        expectError("give one data source", "finetune", "--model", model, "--task", "promoters", "--data", data, "--out", out);
        expectError("unknown --task 'enhancers'", "finetune", "--model", model, "--task", "enhancers", "--out", out);
        expectError("no such file: " + dir.resolve("missing.csv"), "finetune", "--model", model, "--train", dir.resolve("missing.csv").toString(),
                "--test", promoters.resolve("test.csv").toString(), "--out", out);
        expectError("has no train.csv", "finetune", "--model", model, "--data", pretrained.toString(), "--out", out);
        expectError("unknown --pooling 'max'", "finetune", "--model", model, "--data", data, "--pooling", "max", "--out", out);
        expectError("no model at " + dir.resolve("nothing"), "finetune", "--model", dir.resolve("nothing").toString(), "--data", data, "--out", out);

        Path otherTokenizer = dir.resolve("other-tokenizer");
        CliRun.copyTree(pretrained, otherTokenizer);
        new KmerTokenizer(6).save(otherTokenizer.resolve("tokenizer.json"));
        expectError("the tokenizer does not belong to this model", "finetune", "--model", otherTokenizer.toString(), "--data", data, "--out", out);

        // a model with learned positions for at most 66 tokens cannot read 300 bp rows (302 tokens) unless asked to cut them
        Path learned = dir.resolve("learned");
        TransformerConfig config = new TransformerConfig(new NucleotideTokenizer().vocabSize(), 16, 1, 2, 32, 66, 0f, true, Positions.LEARNED, 1e-5f);
        PretrainedModel.describe(learned, new NucleotideTokenizer(), PretrainedModel.Objective.MLM);
        Checkpoint.save(learned, 1, new BertModel(config, new Generator(1)), config, null, Map.of());
        expectError("a sequence of 300 bases gives 302 tokens, more than this model's limit of 66", "finetune", "--model", learned.toString(),
                "--data", data, "--out", out);
        assertTrue(!Files.exists(Path.of(out).resolve("latest")));

        Path cut = dir.resolve("cut");
        Run truncated = run("finetune", "--model", learned.toString(), "--data", data, "--truncate", "center", "--steps", "1", "--eval-every", "1",
                "--batch", "4", "--out", cut.toString());
        assertEquals(0, truncated.exit(), truncated.err());
        expectError("already holds a fine-tuned model", "finetune", "--model", learned.toString(), "--data", data, "--truncate", "center",
                "--steps", "1", "--out", cut.toString());

        expectError("is not a fine-tuned model", "evaluate", "--model", model, "--data", data);
        expectError("has no test.csv to score", "evaluate", "--model", cut.toString(), "--data", pretrained.toString());
        expectError("no such file: " + dir.resolve("x.csv"), "evaluate", "--model", cut.toString(), "--data", dir.resolve("x.csv").toString());
    }

    private static void expectError(String message, String... args) {
        Run r = run(args);
        assertEquals(1, r.exit(), String.join(" ", args) + "\n" + r.out() + r.err());
        List<String> lines = new ArrayList<>(r.err().lines().filter(l -> !l.isBlank()).toList());
        assertEquals(1, lines.size(), "one line: " + r.err());
        assertTrue(lines.get(0).startsWith("strand: ") && lines.get(0).contains(message), "expected '" + message + "' in: " + lines.get(0));
    }

}

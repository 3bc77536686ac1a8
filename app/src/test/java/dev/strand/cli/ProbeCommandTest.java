package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** probe end to end: a tiny MLM pretrained on phage lambda, probed on the real promoter cut, beside a random encoder. */
class ProbeCommandTest {
    @Test
    void probesEveryLayerOfThePretrainedAndARandomEncoder(@TempDir Path dir) throws Exception {
        Path pretrained = dir.resolve("pretrain");
        CliRun pre = CliRun.of("pretrain", "--fasta", CliRun.resource("lambda_virus.fa").toString(), "--out", pretrained.toString(), "--steps", "2",
                "--batch", "2", "--window", "64", "--dim", "16", "--layers", "2", "--heads", "2", "--eval-every", "2", "--checkpoint-every", "2");
        assertEquals(0, pre.exit(), pre.err());

        Path table = dir.resolve("probe.tsv");
        CliRun r = CliRun.of("probe", "--model", pretrained.toString(), "--data", CliRun.resource("promoters").toString(), "--out", table.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("on 240 train rows, test set of 80") && r.out().contains("pretrained"), r.out());
        List<String> rows = Files.readAllLines(table);
        assertEquals(List.of("state", "embeddings", "layer 1", "layer 2"), rows.stream().map(l -> l.split("\t")[0]).toList());
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split("\t");
            assertEquals(7, f.length, row);
            for (int i = 1; i < 7; i++) {
                double v = Double.parseDouble(f[i]);
                assertTrue(v >= -1 && v <= 1, row);
            }
        }

        Path tuned = dir.resolve("tuned");
        CliRun ft = CliRun.of("finetune", "--model", pretrained.toString(), "--data", CliRun.resource("promoters").toString(), "--steps", "2",
                "--eval-every", "2", "--batch", "8", "--lora", "r=2", "--out", tuned.toString());
        assertEquals(0, ft.exit(), ft.err());
        CliRun adapted = CliRun.of("probe", "--model", tuned.toString(), "--data", CliRun.resource("promoters").toString());
        assertEquals(0, adapted.exit(), adapted.err());
        assertTrue(adapted.out().contains("fine-tuned") && adapted.out().contains("layer 2"), "a LoRA fine-tuned run's encoder is probed: " + adapted.out());

        CliRun noData = CliRun.of("probe", "--model", pretrained.toString(), "--data", dir.toString());
        assertNotEquals(0, noData.exit());
        assertTrue(noData.errorLine().contains("has no train.csv"), noData.err());
    }
}

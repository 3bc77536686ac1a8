package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate end to end from a tiny causal model pretrained on two tagged real genomes (phage lambda, human chr22). */
class GenerateCommandTest {
    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void pretrain() {
        model = dir.resolve("causal");
        CliRun r = CliRun.of("pretrain", "--fasta", CliRun.resource("lambda_virus.fa") + ":species=lambda",
                "--fasta", CliRun.resource("chr22_20M_first20kb.fa") + ":species=hsap", "--objective", "causal", "--out", model.toString(),
                "--steps", "3", "--batch", "4", "--window", "48", "--dim", "32", "--layers", "1", "--heads", "2", "--eval-every", "0");
        assertEquals(0, r.exit(), r.err());
    }

    private static CliRun generate(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("generate", "--model", model.toString(), "--out", out.toString(),
                "--length", "70", "--count", "3"));
        args.addAll(List.of(extra));
        return CliRun.of(args);
    }

    @Test
    void samplesAreSeededTaggedFastaRecords() throws Exception {
        Path a = dir.resolve("a.fa"), b = dir.resolve("b.fa"), c = dir.resolve("c.fa");
        CliRun first = generate(a, "--tag", "species=hsap", "--prompt", "ACGT", "--temperature", "0.8", "--top-k", "3", "--seed", "7");
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("wrote 3 samples of 70 new bases"), first.out());
        assertEquals(0, generate(b, "--tag", "species=hsap", "--prompt", "ACGT", "--temperature", "0.8", "--top-k", "3", "--seed", "7").exit());
        assertEquals(Files.readString(a), Files.readString(b), "the same seed gives the same FASTA");
        assertEquals(0, generate(c, "--tag", "species=lambda", "--prompt", "ACGT", "--temperature", "0.8", "--top-k", "3", "--seed", "8").exit());
        assertNotEquals(Files.readString(a), Files.readString(c));

        List<String> lines = Files.readAllLines(a);
        assertEquals(9, lines.size(), "3 records of a header and 74 bases in lines of 60");
        assertTrue(lines.get(0).startsWith(">sample-1 tags=<species=hsap> prompt=ACGT length=70 temperature=0.8 top_k=3 top_p=1.0 seed=7 model="), lines.get(0));
        assertEquals(74, (lines.get(1) + lines.get(2)).length());
        assertTrue((lines.get(1) + lines.get(2)).matches("ACGT[ACGT]{70}"));
    }

    @Test
    void maskedModelsAndUnknownTagsAreOneClearLine() {
        Path mlm = dir.resolve("mlm");
        assertEquals(0, CliRun.of("pretrain", "--fasta", CliRun.resource("lambda_virus.fa").toString(), "--out", mlm.toString(), "--steps", "1",
                "--batch", "2", "--window", "32", "--dim", "16", "--layers", "1", "--heads", "2", "--eval-every", "0").exit());
        CliRun masked = CliRun.of("generate", "--model", mlm.toString(), "--out", dir.resolve("x.fa").toString());
        assertEquals(1, masked.exit());
        assertTrue(masked.errorLine().contains("holds a mlm model") && masked.errorLine().contains("--objective causal"), masked.err());
        CliRun tag = generate(dir.resolve("y.fa"), "--tag", "species=dmel");
        assertEquals(1, tag.exit());
        assertTrue(tag.errorLine().contains("<species=dmel>") && tag.errorLine().contains("<species=hsap>"), tag.err());
        CliRun sampler = generate(dir.resolve("z.fa"), "--top-p", "0");
        assertEquals(1, sampler.exit());
        assertTrue(sampler.errorLine().contains("--top-p"), sampler.err());
        for (String t : new String[] {"NaN", "Infinity", "-1"}) {
            CliRun temperature = generate(dir.resolve("t.fa"), "--temperature", t);
            assertEquals(1, temperature.exit());
            assertTrue(temperature.errorLine().contains("--temperature " + (t.equals("-1") ? "-1.0" : t)), temperature.err());
            // Refused before the model is loaded: the masked model's own error does not come first.
            CliRun onMasked = CliRun.of("generate", "--model", mlm.toString(), "--out", dir.resolve("t.fa").toString(), "--temperature", t);
            assertTrue(onMasked.errorLine().contains("temperature"), onMasked.err());
        }
        assertTrue(Files.notExists(dir.resolve("y.fa")) && Files.notExists(dir.resolve("z.fa")) && Files.notExists(dir.resolve("t.fa")));
    }
}

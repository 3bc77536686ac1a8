package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.io.FastaGenome;
import dev.strand.genomics.io.VariantCheck;
import dev.strand.genomics.io.VcfVariant;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.genomics.variants.HisatSnpTable;
import dev.strand.genomics.variants.ScoreTable;
import dev.strand.nn.lora.Lora;
import dev.strand.nn.lora.LoraConfig;
import dev.strand.nn.lora.ModuleNames;
import dev.strand.nn.lora.PeftAdapter;
import dev.strand.nn.transformer.BertModel;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** score-variants end to end on 20 kb of real human chr22 and its 91 dbSNP variants (HISAT2's SNP table), with tiny models. */
class ScoreVariantsCommandTest {
    static final Path FASTA = CliRun.resource("chr22_20M_first20kb.fa"), SNPS = CliRun.resource("chr22_20M_first20kb.snp");
    static final String CONTIG = "22:20000001-21000000";

    @TempDir
    static Path dir;

    static Path causal, masked;

    static Path pretrain(String name, String objective) {
        Path out = dir.resolve(name);
        CliRun r = CliRun.of("pretrain", "--fasta", FASTA.toString(), "--out", out.toString(), "--objective", objective, "--steps", "3",
                "--batch", "4", "--window", "64", "--dim", "32", "--layers", "1", "--heads", "2", "--eval-every", "0");
        assertEquals(0, r.exit(), r.err());
        return out;
    }

    @BeforeAll
    static void models() {
        causal = pretrain("causal", "causal");
        masked = pretrain("mlm", "mlm");
    }

    private static List<String[]> rows(Path tsv) throws Exception {
        List<String> lines = Files.readAllLines(tsv);
        assertEquals(ScoreTable.HEADER, lines.get(0));
        return lines.stream().skip(1).map(l -> l.split("\t", -1)).toList();
    }

    @Test
    void hisatTableOfTheRealCutBecomesVariantsThatMatchTheGenome() {
        try (FastaGenome genome = FastaGenome.open(FASTA)) {
            List<VcfVariant> v = HisatSnpTable.read(SNPS, genome);
            assertEquals(91, v.size());
            assertEquals(84, v.stream().filter(VcfVariant::isSnv).count());
            assertTrue(VariantCheck.run(genome, v).allOk(), "every REF (taken from the genome) and anchor matches");
            assertEquals(CONTIG + ":146 G>A", v.get(0).toString(), "rs73387790: offset 145, 0-based");
            assertEquals("rs73387790", v.get(0).id());
            VcfVariant del = v.stream().filter(x -> x.id().equals("rs71788814")).findFirst().orElseThrow();   // 2 bases deleted at offset 1587
            assertEquals(1587, del.pos());
            assertEquals(3, del.ref().length());
            assertEquals(genome.fetch(CONTIG, 1586, 1589), del.ref());
        }
    }

    @Test
    void causalModelScoresEveryVariantAndRandomControls() throws Exception {
        Path tsv = dir.resolve("causal.tsv");
        CliRun r = CliRun.of("score-variants", "--model", causal.toString(), "--hisat-snps", SNPS.toString(), "--fasta", FASTA.toString(),
                "--out", tsv.toString(), "--controls", "--batch", "16");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("91 variants: 91 alleles scored with causal_llr over 64-base windows"), r.out());
        assertTrue(r.out().contains("AUROC real vs random"), r.out());
        assertTrue(r.err().contains("score-variants ["), "a progress bar: " + r.err());
        List<String[]> rows = rows(tsv);
        assertEquals(91 + 84, rows.size(), "each real allele, and a control at each SNV");
        assertTrue(rows.stream().allMatch(f -> f[10].equals("ok") && f[7].equals("causal_llr") && Double.isFinite(Double.parseDouble(f[6]))));
        assertEquals(84, rows.stream().filter(f -> f[5].equals("control")).count());
        String[] first = rows.get(0);
        assertEquals(List.of(CONTIG, "146", "rs73387790", "G", "A", "real"), List.of(first).subList(0, 6));
        assertEquals(146 - 32, Integer.parseInt(first[8]), "a 64-base window centred on the variant");
        assertEquals(146 + 31, Integer.parseInt(first[9]));
    }

    @Test
    void maskedModelScoresSubstitutionsAndListsIndelsAsSkipped() throws Exception {
        Path tsv = dir.resolve("mlm.tsv");
        CliRun r = CliRun.of("score-variants", "--model", masked.toString(), "--hisat-snps", SNPS.toString(), "--fasta", FASTA.toString(),
                "--out", tsv.toString());
        assertEquals(0, r.exit(), r.err());
        List<String[]> rows = rows(tsv);
        assertEquals(91, rows.size());
        assertEquals(84, rows.stream().filter(f -> f[10].equals("ok") && f[7].equals("masked_marginal")).count());
        assertEquals(7, rows.stream().filter(f -> f[10].equals("skipped") && f[11].startsWith("indel")).count());
    }

    @Test
    void vcfVariantsWhoseRefDiffersFromTheGenomeAreReported() throws Exception {
        Path vcf = dir.resolve("v.vcf.gz");
        String text = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                + CONTIG + "\t146\trs73387790\tG\tA\t.\t.\t.\n"
                + CONTIG + "\t428\twrong\tT\tC\t.\t.\t.\n"
                + "chr1\t10\tnowhere\tA\tC\t.\t.\t.\n";
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(vcf))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Path tsv = dir.resolve("vcf.tsv");
        CliRun r = CliRun.of("score-variants", "--model", masked.toString(), "--vcf", vcf.toString(), "--fasta", FASTA.toString(),
                "--out", tsv.toString(), "--window", "32");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("1 REF mismatches, 1 off the genome"), r.out());
        List<String[]> rows = rows(tsv);
        assertEquals(List.of("ok", "ref_mismatch", "unknown_contig"), rows.stream().map(f -> f[10]).toList());
        assertTrue(rows.get(1)[11].contains("REF 'T' but the genome") && rows.get(1)[6].equals("NA"), String.join(" | ", rows.get(1)));
    }

    @Test
    void aLanguageModelAdapterChangesTheScoresAndInfoCountsIt() throws Exception {
        Path adapter = dir.resolve("mlm-adapter");
        BertModel bert = PretrainedModel.open(masked).loadBert();
        LoraConfig config = LoraConfig.of(LoraConfig.Targets.of("query", "value")).withRank(2, 4);
        Generator gen = new Generator(3);
        Lora.apply(bert, config, ModuleNames.HUGGING_FACE_BERT, gen).values()
                .forEach(a -> a.b.weight.data().copyFrom(Tensor.randn(gen, a.b.weight.data().shape())));
        PeftAdapter.save(adapter, bert, config, ModuleNames.HUGGING_FACE_BERT);

        Path plain = dir.resolve("plain.tsv"), adapted = dir.resolve("adapted.tsv");
        assertEquals(0, CliRun.of("score-variants", "--model", masked.toString(), "--hisat-snps", SNPS.toString(), "--fasta", FASTA.toString(),
                "--out", plain.toString()).exit());
        CliRun r = CliRun.of("score-variants", "--model", masked.toString(), "--adapter", adapter.toString(), "--hisat-snps", SNPS.toString(),
                "--fasta", FASTA.toString(), "--out", adapted.toString());
        assertEquals(0, r.exit(), r.err());
        List<String[]> a = rows(adapted), p = rows(plain);
        assertEquals(84, a.stream().filter(f -> f[10].equals("ok")).count());
        double moved = 0;
        for (int i = 0; i < a.size(); i++) if (a.get(i)[10].equals("ok")) moved = Math.max(moved, Math.abs(Double.parseDouble(a.get(i)[6]) - Double.parseDouble(p.get(i)[6])));
        assertTrue(moved > 1e-3, "the adapter changes the scores, by up to " + moved);

        CliRun info = CliRun.of("info", "--model", masked.toString(), "--adapter", adapter.toString());
        assertEquals(0, info.exit(), info.err());
        assertTrue(info.out().contains("(LoRA adapters)") && info.out().contains("trainable%"), info.out());
    }

    @Test
    void aFineTunedModelScoresByTheChangeInItsPrediction() throws Exception {
        Path tuned = dir.resolve("tuned");
        CliRun ft = CliRun.of("finetune", "--model", masked.toString(), "--data", CliRun.resource("promoters").toString(), "--steps", "2",
                "--eval-every", "2", "--batch", "8", "--lora", "r=2,targets=query,value", "--out", tuned.toString());
        assertEquals(0, ft.exit(), ft.err());
        Path tsv = dir.resolve("tuned.tsv");
        CliRun r = CliRun.of("score-variants", "--model", tuned.toString(), "--hisat-snps", SNPS.toString(), "--fasta", FASTA.toString(),
                "--out", tsv.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("91 variants: 91 alleles scored with prediction_change over 64-base windows"), r.out());
        assertTrue(rows(tsv).stream().allMatch(f -> f[7].equals("prediction_change") && Double.isFinite(Double.parseDouble(f[6]))));

        CliRun output = CliRun.of("score-variants", "--model", tuned.toString(), "--output", "promoter", "--hisat-snps", SNPS.toString(),
                "--fasta", FASTA.toString(), "--out", tsv.toString());
        assertEquals(1, output.exit());
        assertTrue(output.errorLine().contains("the model predicts classes [0, 1], not 'promoter'"), output.err());
        CliRun adapter = CliRun.of("score-variants", "--model", tuned.toString(), "--adapter", tuned.toString(), "--hisat-snps", SNPS.toString(),
                "--fasta", FASTA.toString(), "--out", tsv.toString());
        assertEquals(1, adapter.exit());
        assertTrue(adapter.errorLine().contains("is a fine-tuned run, which carries its own adapters"), adapter.err());
    }

    @Test
    void badInputIsOneClearLine() {
        String snps = SNPS.toString(), fasta = FASTA.toString(), out = dir.resolve("x.tsv").toString();
        CliRun noModel = CliRun.of("score-variants", "--model", dir.resolve("none").toString(), "--hisat-snps", snps, "--fasta", fasta, "--out", out);
        assertEquals(1, noModel.exit());
        assertTrue(noModel.errorLine().contains("no model at"), noModel.err());
        CliRun tag = CliRun.of("score-variants", "--model", causal.toString(), "--hisat-snps", snps, "--fasta", fasta, "--out", out, "--tag", "species=dmel");
        assertEquals(1, tag.exit());
        assertTrue(tag.errorLine().contains("<species=dmel>"), tag.err());
        CliRun wrongGenome = CliRun.of("score-variants", "--model", causal.toString(), "--hisat-snps", snps, "--fasta",
                CliRun.resource("lambda_virus.fa").toString(), "--out", out);
        assertEquals(1, wrongGenome.exit());
        assertTrue(wrongGenome.errorLine().contains("is not in the genome"), wrongGenome.err());
        assertNotEquals(0, CliRun.of("score-variants", "--model", causal.toString(), "--vcf", snps, "--hisat-snps", snps, "--fasta", fasta, "--out", out).exit());
        assertTrue(Files.notExists(Path.of(out)), "nothing written on failure");
    }

    @Test
    void anOutputThatWouldDestroyAnInputIsRefusedBeforeAnyWork() throws Exception {
        Path inputs = dir.resolve("inputs");
        Files.createDirectories(inputs);
        Path snps = Files.copy(SNPS, inputs.resolve("v.snp")), fasta = Files.copy(FASTA, inputs.resolve("ref.fa"));
        byte[] snpBytes = Files.readAllBytes(snps), fastaBytes = Files.readAllBytes(fasta);
        // The same file under another spelling too: ./inputs/../inputs/ref.fa.
        for (Path out : new Path[] {snps, fasta, inputs.resolve("..").resolve("inputs").resolve("ref.fa")}) {
            CliRun r = CliRun.of("score-variants", "--model", masked.toString(), "--hisat-snps", snps.toString(), "--fasta", fasta.toString(),
                    "--out", out.toString());
            assertEquals(1, r.exit());
            assertTrue(r.errorLine().contains("is also an input"), r.err());
        }
        assertArrayEquals(snpBytes, Files.readAllBytes(snps));
        assertArrayEquals(fastaBytes, Files.readAllBytes(fasta));
        CliRun intoModel = CliRun.of("score-variants", "--model", masked.toString(), "--hisat-snps", snps.toString(), "--fasta", fasta.toString(),
                "--out", masked.resolve("scores.tsv").toString());
        assertTrue(intoModel.errorLine().contains("inside the model directory"), intoModel.err());
        CliRun noDirectory = CliRun.of("score-variants", "--model", masked.toString(), "--hisat-snps", snps.toString(), "--fasta", fasta.toString(),
                "--out", fasta.resolve("scores.tsv").toString());   // "inside" a file: its directory cannot be made
        assertTrue(noDirectory.errorLine().contains("cannot create its directory") && !noDirectory.err().contains("score-variants ["),
                "refused before scoring: " + noDirectory.err());
        CliRun generateIntoModel = CliRun.of("generate", "--model", causal.toString(), "--length", "10",
                "--out", causal.resolve("latest").toString());
        assertEquals(1, generateIntoModel.exit());
        assertTrue(generateIntoModel.errorLine().contains("inside the model directory"), generateIntoModel.err());
    }

    @Test
    void windowsBeyondWhatARotaryModelWasTrainedOnAreNotedAndSoAreLongSequencesInAttention() throws Exception {
        // masked was trained on 64-base windows with rotary positions: 200-base windows extrapolate.
        CliRun r = CliRun.of("score-variants", "--model", masked.toString(), "--hisat-snps", SNPS.toString(), "--fasta", FASTA.toString(),
                "--window", "200", "--out", dir.resolve("long.tsv").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("note: this model was trained on windows of") && r.err().contains("extrapolate (rope positions)"), r.err());
        CliRun inRange = CliRun.of("score-variants", "--model", masked.toString(), "--hisat-snps", SNPS.toString(), "--fasta", FASTA.toString(),
                "--window", "32", "--out", dir.resolve("short.tsv").toString());
        assertFalse(inRange.err().contains("extrapolate"), inRange.err());
        CliRun attention = CliRun.of("attention", "--model", masked.toString(), "--sequence", "ACGT".repeat(40), "--out", dir.resolve("maps").toString());
        assertEquals(0, attention.exit(), attention.err());
        assertTrue(attention.err().contains("extrapolate (rope positions)"), attention.err());
    }
}

package dev.strand.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.io.FastaGenome;
import dev.strand.genomics.io.VariantCheck;
import dev.strand.genomics.io.VcfVariant;
import dev.strand.genomics.variants.HisatSnpTable;
import dev.strand.genomics.variants.ScoreTable;
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
}

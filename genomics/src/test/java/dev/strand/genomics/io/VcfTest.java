package dev.strand.genomics.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VcfTest {
    @TempDir Path dir;

    private static final String LAMBDA = "gi|9626243|ref|NC_001416.1|";

    // ------------------------------------------------------------------ against bcftools norm --check-ref

    @Test
    void reportsExactlyTheVariantBcftoolsRejects() {
        Path vcf = TestFiles.resource("lambda/check_ref.vcf");
        List<VcfVariant> variants = VcfReader.readAll(vcf);
        assertEquals(10, variants.size());
        // bcftools' answers: "Reference allele mismatch at CHROM:POS" (-e) and REF_MISMATCH lines (-w)
        List<String> bcftools = new ArrayList<>();
        String firstError = null;
        for (String line : TestFiles.read(TestFiles.resource("lambda/check_ref.bcftools.txt")).split("\n")) {
            if (line.startsWith("REF_MISMATCH\t")) {
                String[] f = line.split("\t");
                bcftools.add(f[1] + ":" + f[2]);
            }
            if (line.startsWith("Reference allele mismatch at ")) {
                firstError = line.substring("Reference allele mismatch at ".length()).split(" ")[0];
            }
        }
        assertEquals(List.of(LAMBDA + ":20000"), bcftools);
        try (FastaGenome g = FastaGenome.open(TestFiles.copy("lambda/lambda_virus.fa", dir), dir)) {
            VariantCheck check = VariantCheck.run(g, variants);
            List<String> strand = check.mismatched().stream().map(v -> v.chrom() + ":" + v.pos()).toList();
            assertEquals(bcftools, strand);
            assertEquals(firstError, strand.get(0));
            assertEquals(9, check.ok().size());
            VariantCheck.Problem p = check.problems().get(0);
            assertEquals(VariantCheck.Reason.REF_MISMATCH, p.reason());
            assertEquals("wrong_ref", p.variant().id());
            assertTrue(p.message().contains("check_ref.vcf, line 7") && p.message().contains("REF 'T' but the genome"),
                    p.message());
            GenomicsFormatException e = assertThrows(GenomicsFormatException.class, check::requireAllOk);
            assertEquals(7, e.line());
            assertTrue(e.getMessage().contains("check_ref.vcf, line 7: " + LAMBDA + ":20000: REF 'T' but the genome"),
                    e.getMessage());
        }
    }

    @Test
    void positionPastTheContigEndIsReportedNotUsed() {
        Genome g = FastaGenome.fromRecords("mem.fa", List.of(new FastaRecord("c", "", "ACGTACGTAC")));
        String text = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                + "c\t10\t.\tC\tT\t.\t.\t.\n"
                + "c\t11\t.\tA\tT\t.\t.\t.\n"
                + "c\t9\t.\tACG\tA\t.\t.\t.\n"
                + "d\t1\t.\tA\tT\t.\t.\t.\n"
                + "c\t2\t.\tc\tT\t.\t.\t.\n";
        List<VcfVariant> vs = VcfReader.of(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "x.vcf").toList();
        VariantCheck check = VariantCheck.run(g, vs);
        assertEquals(List.of(10, 2), check.ok().stream().map(VcfVariant::pos).toList()); // REF case does not matter
        assertEquals(List.of(VariantCheck.Reason.PAST_CONTIG_END, VariantCheck.Reason.PAST_CONTIG_END,
                VariantCheck.Reason.UNKNOWN_CONTIG), check.problems().stream().map(VariantCheck.Problem::reason).toList());
        assertTrue(check.problems().get(0).message().contains("x.vcf, line 4: c:11: POS 11 is past the end of contig 'c' (length 10)"),
                check.problems().get(0).message());
        GenomicsFormatException e = assertThrows(GenomicsFormatException.class, check::requireAllOk);
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("and 2 more problem(s)"), e.getMessage());
    }

    @Test
    void positionPastADeclaredContigLengthIsAReadError() {
        Path vcf = TestFiles.plain(dir, "len.vcf", "##fileformat=VCFv4.2\n##contig=<ID=c,length=100>\n"
                + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nc\t100\t.\tA\tG\t.\t.\t.\nc\t101\t.\tA\tG\t.\t.\t.\n");
        GenomicsFormatException e = assertThrows(GenomicsFormatException.class, () -> VcfReader.readAll(vcf));
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains("len.vcf, line 5: POS 101 is past the end of contig 'c' (length 100"), e.getMessage());
    }

    // ------------------------------------------------------------------ htslib-test files

    @Test
    void htslibLargeChromosomeFile() {
        try (VcfReader r = VcfReader.open(TestFiles.resource("htslib/large_chr.vcf"))) {
            assertEquals(2147483647L, r.contigLengths().get("chr20"));
            List<VcfVariant> vs = r.toList();
            assertEquals(12, vs.size());
            assertEquals(List.of(), vs.get(0).alts()); // ALT "."
            assertEquals(List.of("TTTA", "TA"), vs.get(7).alts());
            VcfVariant last = vs.get(11);
            assertEquals(Integer.MAX_VALUE, last.pos());
            assertEquals("chr20", last.chrom());
            assertEquals(18, last.line());
            assertEquals(116870911, vs.get(2).pos()); // exactly at the declared end of chr11
        }
    }

    @Test
    void htslibHeaderAndSampleEdgeCases() {
        try (VcfReader r = VcfReader.open(TestFiles.resource("htslib/formatcols.vcf"))) {
            assertEquals(List.of("S1", "S²", "S3"), r.samples());
            VcfVariant v = r.next();
            assertEquals("1:100 A>T", v.toString());
            assertEquals("a", v.id());
            assertTrue(v.isSnv());
        }
        List<VcfVariant> hdr = VcfReader.readAll(TestFiles.resource("htslib/test-vcf-hdr-in.vcf"));
        assertEquals("PTV001", hdr.get(0).id());
        assertEquals(List.of("T", "A"), hdr.get(0).alts());
        assertTrue(hdr.stream().anyMatch(v -> v.alts().isEmpty()));
        VcfVariant del = VcfReader.readAll(TestFiles.resource("htslib/vcf_meta_meta.vcf")).get(0);
        assertEquals(123, del.pos());
        assertEquals(122, del.start());
        assertEquals(124, del.end());
        assertFalse(del.isSnv());
        assertEquals(4, VcfReader.readAll(TestFiles.resource("htslib/noroundtrip.vcf")).size());
    }

    @Test
    void readsBgzippedAndGzippedVcfWithoutIndex() {
        String text = TestFiles.read(TestFiles.resource("lambda/check_ref.vcf"));
        assertEquals(10, VcfReader.readAll(TestFiles.bgzip(dir, "v.vcf.gz", text)).size());
        assertEquals(10, VcfReader.readAll(TestFiles.gzip(dir, "w.vcf.gz", text)).size());
    }

    // ------------------------------------------------------------------ malformed VCF

    private GenomicsFormatException bad(String body) {
        Path p = TestFiles.plain(dir, "bad.vcf", "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n" + body);
        return assertThrows(GenomicsFormatException.class, () -> VcfReader.readAll(p));
    }

    @Test
    void malformedLinesNameFileLineAndExpectation() {
        GenomicsFormatException cols = bad("1\t5\t.\tA\tT\t.\t.\n");
        assertEquals(3, cols.line());
        assertTrue(cols.getMessage().contains("bad.vcf, line 3: expected at least 8 tab-separated columns"), cols.getMessage());
        assertTrue(bad("1\tfive\t.\tA\tT\t.\t.\t.\n").getMessage().contains("POS must be an integer, found 'five'"));
        assertTrue(bad("1\t0\t.\tA\tT\t.\t.\t.\n").getMessage().contains("POS must be between 1 and 2147483647"));
        assertTrue(bad("1\t2147483648\t.\tA\tT\t.\t.\t.\n").getMessage().contains("POS must be between"));
        GenomicsFormatException ref = bad("1\t5\t.\tA\tT\t.\t.\t.\n1\t6\t.\tAXG\tT\t.\t.\t.\n");
        assertEquals(4, ref.line());
        assertTrue(ref.getMessage().contains("REF 'AXG' has 'X' at 2"), ref.getMessage());
        assertTrue(bad("1\t5\t.\t.\tT\t.\t.\t.\n").getMessage().contains("empty REF"));
        assertTrue(bad("1\t5\t.\tA\tT,\t.\t.\t.\n").getMessage().contains("empty ALT allele"));
        assertTrue(bad("##INFO=<ID=X>\n").getMessage().contains("header line after the '#CHROM' line"));
    }

    @Test
    void missingOrBrokenHeaderIsAnError() {
        GenomicsFormatException empty = assertThrows(GenomicsFormatException.class,
                () -> VcfReader.readAll(TestFiles.resource("htslib/emptyfile")));
        assertTrue(empty.getMessage().contains("empty VCF"), empty.getMessage());
        Path noChrom = TestFiles.plain(dir, "nochrom.vcf", "##fileformat=VCFv4.2\n1\t5\t.\tA\tT\t.\t.\t.\n");
        GenomicsFormatException e = assertThrows(GenomicsFormatException.class, () -> VcfReader.readAll(noChrom));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("'#CHROM POS ID REF ALT QUAL FILTER INFO' header line before any data"),
                e.getMessage());
        Path headerOnly = TestFiles.plain(dir, "h.vcf", "##fileformat=VCFv4.2\n");
        assertTrue(assertThrows(GenomicsFormatException.class, () -> VcfReader.readAll(headerOnly)).getMessage()
                .contains("ends inside its header"));
        Path spaces = TestFiles.plain(dir, "sp.vcf", "##fileformat=VCFv4.2\n#CHROM POS ID REF ALT QUAL FILTER INFO\n");
        assertTrue(assertThrows(GenomicsFormatException.class, () -> VcfReader.readAll(spaces)).getMessage()
                .contains("must be tab-separated"));
    }

    @Test
    void truncatedCompressedVcfIsAnError() {
        StringBuilder sb = new StringBuilder("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 1; i <= 5000; i++) sb.append("c\t").append(i).append("\tid").append(r.nextInt()).append("\tA\tG\t.\t.\t.\n");
        Path gz = TestFiles.gzip(dir, "t.vcf.gz", sb.toString());
        Path cut = TestFiles.truncated(gz, "cut.vcf.gz", gz.toFile().length() / 2);
        GenomicsFormatException e = assertThrows(GenomicsFormatException.class, () -> VcfReader.readAll(cut));
        assertTrue(e.getMessage().contains("cut.vcf.gz, line ") && e.getMessage().contains("truncated"), e.getMessage());
    }
}

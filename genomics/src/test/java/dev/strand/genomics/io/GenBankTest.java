package dev.strand.genomics.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenBankTest {
    @TempDir Path dir;

    /** Bacterial genetic code (table 11), enough to check CDS extraction against /translation. */
    static String translate(String cds) {
        String b = "TCAG";
        String aa = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 3 <= cds.length(); i += 3) {
            int x = b.indexOf(cds.charAt(i)), y = b.indexOf(cds.charAt(i + 1)), z = b.indexOf(cds.charAt(i + 2));
            sb.append(x < 0 || y < 0 || z < 0 ? 'X' : aa.charAt(16 * x + 4 * y + z));
        }
        String p = sb.toString();
        return p.endsWith("*") ? p.substring(0, p.length() - 1) : p;
    }

    @Test
    void leptospiraRecordsFeaturesAndSequence() {
        List<GenBankRecord> recs = GenBankReader.readAll(TestFiles.resource("genbank/leptospira_2records.gbk.gz"));
        assertEquals(List.of("NZ_AHMY02000037", "NZ_AHMY02000032"), recs.stream().map(GenBankRecord::locus).toList());
        GenBankRecord a = recs.get(0);
        assertEquals(44023, a.declaredLength());
        assertEquals(44023, a.sequence().length());
        assertTrue(a.sequence().startsWith("gataaggatagccctgaatc"));
        assertEquals("NZ_AHMY02000037 NZ_AHMY00000000", a.accession());
        assertTrue(a.definition().startsWith("Leptospira kirschneri str. H1"), a.definition());
        assertEquals(76, recs.stream().mapToLong(r -> r.features("CDS").size()).sum());
        assertEquals(77, recs.stream().mapToLong(r -> r.features("gene").size()).sum());

        GenBankFeature trna = a.features("tRNA").get(0);
        assertEquals("tRNA-Arg", trna.qualifier("product"));
        assertEquals('-', trna.location().strand());
        assertEquals(35041, trna.location().start());
        assertEquals(35115, trna.location().end());
        // the anticodon qualifier gives its own location and sequence: check our extraction
        String anticodon = trna.qualifier("anticodon"); // (pos:complement(35079..35081),aa:Arg,seq:cct)
        String pos = anticodon.substring(anticodon.indexOf("pos:") + 4, anticodon.indexOf(",aa:"));
        String seq = anticodon.substring(anticodon.indexOf("seq:") + 4, anticodon.length() - 1);
        assertEquals(seq, GenBankLocation.parse(pos).extract(a.sequence()));
        assertEquals(74, trna.location().extract(a.sequence()).length());
    }

    @Test
    void everyCompleteCdsTranslatesToItsTranslationQualifier() {
        int checked = 0;
        for (GenBankRecord r : GenBankReader.readAll(TestFiles.resource("genbank/leptospira_2records.gbk.gz"))) {
            for (GenBankFeature f : r.features("CDS")) {
                if (!f.has("translation") || f.location().partial()) continue;
                String protein = translate(f.location().extract(r.sequence()).toUpperCase());
                String expected = f.qualifier("translation");
                // the first codon may be an alternative start (GTG, TTG) that is still read as M
                assertEquals(expected.substring(1), protein.substring(1), f + " at line " + f.line());
                checked++;
            }
        }
        assertTrue(checked >= 40, "checked " + checked);
    }

    @Test
    void programmedFrameshiftJoinInsideComplement() {
        GenBankRecord b = GenBankReader.readAll(TestFiles.resource("genbank/leptospira_2records.gbk.gz")).get(1);
        GenBankFeature cds = b.features().stream()
                .filter(f -> f.key().equals("CDS") && f.location().segments().size() == 2).findFirst().orElseThrow();
        assertEquals("complement(join(25392..26287,26287..26539))", cds.location().text());
        assertEquals(List.of(new GenBankLocation.Segment(26286, 26539, '-'), new GenBankLocation.Segment(25391, 26287, '-')),
                cds.location().segments()); // 5'->3' order of the minus-strand feature
        assertTrue(cds.has("ribosomal_slippage"));
        assertEquals("", cds.qualifier("ribosomal_slippage"));
        assertEquals("programmed frameshift; Derived by automated computational analysis using gene prediction method:"
                + " Protein Homology.", cds.qualifier("note"));
        assertEquals("COORDINATES: similar to AA sequence:RefSeq:WP_077143899.1", cds.qualifier("inference"));
    }

    @Test
    void locationForms() {
        GenBankLocation simple = GenBankLocation.parse("340..565");
        assertEquals(List.of(new GenBankLocation.Segment(339, 565, '+')), simple.segments());
        assertFalse(simple.partial());
        GenBankLocation one = GenBankLocation.parse("467");
        assertEquals(new GenBankLocation.Segment(466, 467, '+'), one.segments().get(0));
        GenBankLocation partial = GenBankLocation.parse("complement(<1..>888)");
        assertTrue(partial.partial());
        assertEquals('-', partial.strand());
        GenBankLocation joined = GenBankLocation.parse("join(1..3, 7..9)");
        assertEquals(List.of(new GenBankLocation.Segment(3, 6, '+')), joined.gaps());
        assertEquals("ACGTTT", joined.extract("ACGaaaTTTccc"));
        assertEquals(GenBankLocation.parse("complement(join(1..3,7..9))").extract("ACGaaaTTTccc"),
                GenBankLocation.parse("join(complement(7..9),complement(1..3))").extract("ACGaaaTTTccc"));
        assertEquals("AAACGT", GenBankLocation.parse("complement(join(1..3,7..9))").extract("ACGaaaTTTccc"));
        GenBankLocation site = GenBankLocation.parse("102^103");
        assertEquals(0, site.length());
        assertEquals(10, GenBankLocation.parse("order(1..5,11..15)").length());
        assertEquals(GenBankLocation.parse("join(1..3,7..9)").shifted(100).start(), 100);
        IllegalArgumentException remote = assertThrows(IllegalArgumentException.class,
                () -> GenBankLocation.parse("join(J00194.1:100..202,1..10)"));
        assertTrue(remote.getMessage().contains("remote references"), remote.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GenBankLocation.parse("join(1..3"));
        assertThrows(IllegalArgumentException.class, () -> GenBankLocation.parse("9..3"));
    }

    // ------------------------------------------------------------------ malformed GenBank

    private static final String GOOD = """
            LOCUS       TEST                  12 bp    DNA     linear   BCT 01-JAN-2000
            DEFINITION  A test record.
            FEATURES             Location/Qualifiers
                 source          1..12
                 CDS             join(1..3,
                                 7..9)
                                 /gene="g"
            ORIGIN
                    1 acgtac gtac gt
            //
            """;

    private GenomicsFormatException bad(String text) {
        Path p = TestFiles.plain(dir, "bad.gb", text);
        return assertThrows(GenomicsFormatException.class, () -> GenBankReader.readAll(p));
    }

    @Test
    void handMadeRecordReads() {
        GenBankRecord r = GenBankReader.readAll(TestFiles.plain(dir, "ok.gb", GOOD + GOOD)).get(1);
        assertEquals("acgtacgtacgt", r.sequence());
        assertEquals("A test record.", r.definition());
        assertEquals("join(1..3,7..9)", r.features("CDS").get(0).location().text());
        assertEquals("g", r.features("CDS").get(0).qualifier("gene"));
        assertEquals(15, r.features("CDS").get(0).line());
        assertEquals(new FastaRecord("TEST", "A test record.", "acgtacgtacgt"), r.toFasta());
    }

    @Test
    void malformedRecordsNameFileAndLine() {
        GenomicsFormatException noEnd = bad(GOOD.replace("//\n", ""));
        assertTrue(noEnd.getMessage().contains("record 'TEST' (LOCUS at line 1) ends without '//'"), noEnd.getMessage());
        GenomicsFormatException origin = bad(GOOD.replace("acgtac gtac gt", "acgtac gxac gt"));
        assertEquals(9, origin.line());
        assertTrue(origin.getMessage().contains("bad.gb, line 9: unexpected character 'x'"), origin.getMessage());
        GenomicsFormatException range = bad(GOOD.replace("7..9)", "7..19)"));
        assertEquals(5, range.line());
        assertTrue(range.getMessage().contains("past the end of the 12 bp sequence"), range.getMessage());
        GenomicsFormatException loc = bad(GOOD.replace("join(1..3,", "join(1..3;"));
        assertEquals(5, loc.line());
        assertTrue(loc.getMessage().contains("bad location"), loc.getMessage());
        GenomicsFormatException length = bad(GOOD.replace("12 bp", "13 bp"));
        assertTrue(length.getMessage().contains("has 12 bases in ORIGIN but its LOCUS line says 13 bp"), length.getMessage());
        GenomicsFormatException before = bad("hello\n" + GOOD);
        assertEquals(1, before.line());
        assertTrue(before.getMessage().contains("expected a 'LOCUS' line"), before.getMessage());
        GenomicsFormatException quote = bad(GOOD.replace("/gene=\"g\"", "/gene=\"g"));
        assertTrue(quote.getMessage().contains("no closing"), quote.getMessage());
    }
}

package dev.strand.genomics.variants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strand.genomics.io.FastaGenome;
import dev.strand.genomics.io.FastaRecord;
import dev.strand.genomics.io.GenomicsFormatException;
import dev.strand.genomics.io.VariantCheck;
import dev.strand.genomics.io.VcfVariant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HISAT2's 0-based SNP table → VCF-style variants, anchored as VCF anchors indels. (The real chr22 cut is read by the app's tests.) */
class HisatSnpTableTest {
    //                                                                         0123456789
    private static final FastaGenome GENOME = FastaGenome.fromRecords("g", List.of(new FastaRecord("22:1-10", "", "ACGTTGCAAC")));

    private static List<VcfVariant> read(Path dir, String... lines) throws Exception {
        Path f = dir.resolve("t.snp");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return HisatSnpTable.read(f, GENOME);
    }

    @Test
    void singlesDeletionsAndInsertionsBecomeAnchoredVcfVariants(@TempDir Path dir) throws Exception {
        List<VcfVariant> v = read(dir,
                "rs1\tsingle\t22:1-10\t2\tT",          // G at offset 2 → T
                "rs2\tdeletion\t22:1-10\t4\t2",        // TG at offsets 4-5 deleted, anchored on T at offset 3
                "rs3\tinsertion\t22:1-10\t6\tAA",      // AA inserted before offset 6, anchored on G at offset 5
                "rs4\tdeletion\t22:1-10\t0\t1",        // A at offset 0: no base before, anchored on the one after
                "rs5\tinsertion\t22:1-10\t0\tG");
        assertEquals("22:1-10:3 G>T", v.get(0).toString());
        assertEquals("rs1", v.get(0).id());
        assertEquals("22:1-10:4 TTG>T", v.get(1).toString());
        assertEquals("22:1-10:6 G>GAA", v.get(2).toString());
        assertEquals("22:1-10:1 AC>C", v.get(3).toString());
        assertEquals("22:1-10:1 A>GA", v.get(4).toString());
        assertTrue(VariantCheck.run(GENOME, v).allOk());
        assertEquals(2, v.get(1).line());
    }

    @Test
    void badLinesAreErrorsNamingTheLine(@TempDir Path dir) throws Exception {
        GenomicsFormatException contig = assertThrows(GenomicsFormatException.class, () -> read(dir, "rs1\tsingle\tchr9\t2\tT"));
        assertTrue(contig.getMessage().contains("contig 'chr9' is not in the genome"), contig.getMessage());
        GenomicsFormatException type = assertThrows(GenomicsFormatException.class, () -> read(dir, "rs1\tsingle\t22:1-10\t2\tT", "rs2\tinversion\t22:1-10\t2\t3"));
        assertTrue(type.getMessage().contains("line 2") && type.getMessage().contains("inversion"), type.getMessage());
        assertThrows(GenomicsFormatException.class, () -> read(dir, "rs1\tsingle\t22:1-10\t10\tT"));
        assertThrows(GenomicsFormatException.class, () -> read(dir, "rs1\tdeletion\t22:1-10\t8\t5"));
        assertThrows(GenomicsFormatException.class, () -> read(dir, "rs1\tsingle\t22:1-10\tten\tT"));
        assertThrows(GenomicsFormatException.class, () -> read(dir, "rs1 single 22:1-10 2 T"));
        // found by fuzzing: a deletion of the whole contig at offset 0 has no base after it to anchor on
        GenomicsFormatException whole = assertThrows(GenomicsFormatException.class, () -> read(dir, "rs1\tdeletion\t22:1-10\t0\t10"));
        assertTrue(whole.getMessage().contains("line 1") && whole.getMessage().contains("no base after it"), whole.getMessage());
        VcfVariant nine = read(dir, "rs1\tdeletion\t22:1-10\t0\t9").get(0);
        assertEquals("ACGTTGCAAC", nine.ref(), "nine of ten bases still anchor on the last");
        assertEquals(List.of("C"), nine.alts());
        // an offset near 2^31 plus a deletion length must not wrap round
        assertThrows(GenomicsFormatException.class, () -> read(dir, "rs1\tdeletion\t22:1-10\t2147483640\t100"));
    }
}

package dev.strand.genomics.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strand.genomics.io.AugustusGenes;
import dev.strand.genomics.io.FastaRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The glue from Debian's files to the task builders. */
class DrosophilaTasksTest {
    @Test
    void upstreamHeadersKeepNameAndCoordinates(@TempDir Path dir) throws Exception {
        Path fa = dir.resolve("up.fa");
        Files.writeString(fa, ">NM_078863_up_2000_chr2L_16764737_f chr2L:16764737-16766736\nACGT\nAC\n");
        List<FastaRecord> recs = DrosophilaTasks.upstreamRecords(fa);
        assertEquals(1, recs.size());
        assertEquals("ACGTAC", recs.get(0).sequence());
        PromoterTask.UpstreamHeader h = PromoterTask.UpstreamHeader.parse(recs.get(0).header());
        assertEquals("chr2L", h.contig());
        assertEquals('+', h.strand());
    }

    @Test
    void augustusGenesBecomeExonStructuresOnChr2r() throws Exception {
        Path gb = Path.of(DrosophilaTasksTest.class.getResource("/io/augustus/genes_first5.gb").toURI());
        List<AugustusGenes.Gene> genes = AugustusGenes.read(gb, AugustusGenes.TUTORIAL_CHR2R_OFFSET);
        List<GeneStructure> structures = DrosophilaTasks.geneStructures(genes);
        assertEquals(5, structures.size());
        GeneStructure first = structures.get(0);
        assertEquals("chr2R", first.contig());
        assertEquals('+', first.strand());
        assertEquals(List.of(new GeneStructure.Exon(2_024_931, 2_025_318), new GeneStructure.Exon(2_025_493, 2_025_770),
                new GeneStructure.Exon(2_025_822, 2_025_830)), first.exons());
    }
}

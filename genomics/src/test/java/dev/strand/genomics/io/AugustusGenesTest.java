package dev.strand.genomics.io;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class AugustusGenesTest {
    /**
     * chr2R as far as the test needs it: the two samtools regions in chr2R_regions.fa (named
     * chr2R:start-end, 1-based); fetches outside them fail.
     */
    static Genome chr2rExcerpt() {
        List<FastaRecord> parts = FastaReader.readAll(TestFiles.resource("augustus/chr2R_regions.fa"));
        return new Genome() {
            public List<String> contigs() { return List.of("chr2R"); }
            public int length(String c) { return 21_146_708; }
            public String fetch(String c, int start, int end) {
                for (FastaRecord p : parts) {
                    String[] se = p.name().substring(p.name().indexOf(':') + 1).split("-");
                    int s = Integer.parseInt(se[0]) - 1;
                    int e = Integer.parseInt(se[1]);
                    if (start >= s && end <= e) return p.sequence().substring(start - s, end - s);
                }
                throw new IllegalArgumentException("outside the excerpt: " + start + "-" + end);
            }
            public String source() { return "chr2R_regions.fa"; }
        };
    }

    @Test
    void regionsSitOnChr2rAtTheTutorialOffset() {
        List<AugustusGenes.Gene> genes = AugustusGenes.read(TestFiles.resource("augustus/genes_first5.gb"),
                AugustusGenes.TUTORIAL_CHR2R_OFFSET);
        assertEquals(5, genes.size());
        AugustusGenes.Gene g = genes.get(0);
        assertEquals("chr2R_23932-26830", g.locus());
        assertEquals("chr2R", g.contig());
        assertEquals(2_023_931, g.regionStart());
        assertEquals(2_026_830, g.regionEnd());
        assertEquals("38", g.geneId());
        assertEquals('+', g.strand());
        // join(1001..1387,1563..1839,1892..1899) on the region
        assertEquals(List.of(new GenBankLocation.Segment(2_024_931, 2_025_318, '+'),
                new GenBankLocation.Segment(2_025_493, 2_025_770, '+'),
                new GenBankLocation.Segment(2_025_822, 2_025_830, '+')), g.exons());
        assertEquals(2, g.introns().size());
        assertEquals(3 + 2 + 1 + 3 + 9, genes.stream().mapToInt(x -> x.exons().size()).sum()); // incl. a join over two lines
        AugustusGenes.verify(genes, chr2rExcerpt());
    }

    @Test
    void intronsAreGtAgOnTheGenesStrand() {
        Genome chr2r = chr2rExcerpt();
        int introns = 0;
        for (AugustusGenes.Gene g : AugustusGenes.read(TestFiles.resource("augustus/genes_first5.gb"),
                AugustusGenes.TUTORIAL_CHR2R_OFFSET)) {
            for (GenBankLocation.Segment in : g.introns()) {
                String s = chr2r.fetch(g.contig(), in.start(), in.end()).toUpperCase();
                if (g.strand() == '-') s = Bases.reverseComplement(s);
                assertTrue(s.startsWith("GT") && s.endsWith("AG"), g.locus() + " " + in);
                introns++;
            }
            String cds = g.codingSequence().toUpperCase();
            assertEquals(g.cds().length(), cds.length());
        }
        assertEquals(2 + 1 + 0 + 2 + 8, introns);
    }

    @Test
    void wrongOffsetIsReported() {
        List<AugustusGenes.Gene> genes = AugustusGenes.read(TestFiles.resource("augustus/genes_first5.gb"), 0);
        Genome wrong = FastaGenome.fromRecords("tiny.fa", List.of(new FastaRecord("chr2R", "", "A".repeat(100_000))));
        GenomicsFormatException e = assertThrows(GenomicsFormatException.class, () -> AugustusGenes.verify(genes, wrong));
        assertTrue(e.getMessage().contains("genes_first5.gb, line 4: region 'chr2R_23932-26830'"), e.getMessage());
        assertTrue(e.getMessage().contains("5 of 5 regions fail") && e.getMessage().contains("2000000"), e.getMessage());
    }

    @Test
    void locusNameWithoutCoordinatesIsAnError() {
        GenBankRecord r = new GenBankRecord("chr2R", 4, "", "", List.of(), "acgt", "x.gb", 1);
        GenomicsFormatException e = assertThrows(GenomicsFormatException.class,
                () -> AugustusGenes.fromRecords(List.of(r), 0));
        assertTrue(e.getMessage().contains("x.gb, line 1: LOCUS name 'chr2R' does not give the region"), e.getMessage());
    }
}

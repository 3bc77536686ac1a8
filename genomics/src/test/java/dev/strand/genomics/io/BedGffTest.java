package dev.strand.genomics.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BedGffTest {
    @TempDir Path dir;

    // ------------------------------------------------------------------ BED

    @Test
    void htslibBedFileParses() {
        // 24 lines of comments (a licence header), then 15 nine-column BED lines
        List<BedRegion> regions = BedReader.readAll(TestFiles.resource("htslib/bed_file.bed"));
        assertEquals(15, regions.size());
        BedRegion first = regions.get(0);
        assertEquals("X", first.chrom());
        assertEquals(1000, first.start());
        assertEquals(1100, first.end());
        assertEquals(100, first.length());
        assertEquals("X1", first.name());
        assertEquals(500.0, first.score());
        assertEquals('+', first.strand());
        assertEquals("255,0,0", first.fields().get(8));
        assertEquals(25, first.line());
    }

    @Test
    void bedSkipsTrackLinesAndAcceptsThreeColumnsAndSpaces() {
        Path bed = TestFiles.plain(dir, "a.bed", "browser position chr1\ntrack name=x\n\nc\t0\t5\nc 5 9 n2 . -\n");
        List<BedRegion> rs = BedReader.readAll(bed);
        assertEquals(2, rs.size());
        assertEquals("", rs.get(0).name());
        assertTrue(Double.isNaN(rs.get(0).score()));
        assertEquals('.', rs.get(0).strand());
        assertEquals('-', rs.get(1).strand());
        Genome g = FastaGenome.fromRecords("mem", List.of(new FastaRecord("c", "", "AACCGGTTAC")));
        assertEquals("AACCG", rs.get(0).sequence(g));
        assertEquals("TAAC", rs.get(1).sequence(g)); // reverse complement of GTTA
    }

    private GenomicsFormatException badBed(String line) {
        Path p = TestFiles.plain(dir, "bad.bed", "# header\n" + line + "\n");
        return assertThrows(GenomicsFormatException.class, () -> BedReader.readAll(p));
    }

    @Test
    void malformedBedLinesNameFileAndLine() {
        GenomicsFormatException two = badBed("chr1\t100");
        assertEquals(2, two.line());
        assertTrue(two.getMessage().contains("bad.bed, line 2: expected at least 3 tab-separated columns"), two.getMessage());
        assertTrue(badBed("chr1\t200\t100").getMessage().contains("start 200 is after end 100"));
        assertTrue(badBed("chr1\t-5\t100").getMessage().contains("start (column 2) must be between 0 and"));
        assertTrue(badBed("chr1\t1.5\t100").getMessage().contains("start (column 2) must be an integer, found '1.5'"));
        assertTrue(badBed("chr1\t1\t100\tn\t0\tx").getMessage().contains("strand (column 6) must be '+', '-' or '.'"));
        assertTrue(badBed("chr1\t1\t100\tn\thigh").getMessage().contains("score (column 5) must be a number"));
    }

    // ------------------------------------------------------------------ GFF3

    @Test
    void htslibGffFileParsesWithHalfOpenCoordinates() {
        List<GffFeature> fs = GffReader.readAll(TestFiles.resource("htslib/gff_file.gff"));
        assertEquals(62, fs.size());
        GffFeature exon = fs.get(0);
        // file: X Vega exon 2934816 2935190 . - . Name=OTTHUME00001604789;Parent=OTTHUMT00000055643
        assertEquals("X", exon.seqid());
        assertEquals("Vega", exon.source());
        assertEquals("exon", exon.type());
        assertEquals(2934815, exon.start());
        assertEquals(2935190, exon.end());
        assertEquals(375, exon.length());
        assertEquals('-', exon.strand());
        assertEquals(-1, exon.phase());
        assertTrue(Double.isNaN(exon.score()));
        assertEquals("OTTHUME00001604789", exon.attribute("Name"));
        assertEquals(List.of("OTTHUMT00000055643"), exon.parents());
        assertEquals(9, exon.line());
        GffFeature gene = fs.get(1);
        assertEquals("OTTHUMG00000137358", gene.id());
        assertEquals("protein_coding", gene.attribute("biotype"));
        assertEquals(15, fs.stream().filter(f -> f.type().equals("CDS")).count());
        assertEquals(1, fs.stream().filter(f -> f.type().equals("exon")).filter(f -> f.phase() == 1).findFirst().orElseThrow().phase());
    }

    @Test
    void gffAttributesDecodeAndFastaSectionEndsFeatures() {
        Path gff = TestFiles.plain(dir, "a.gff3", "##gff-version 3\n"
                + "c\tsrc\tgene\t1\t10\t0.5\t+\t.\tID=g1;Note=a%3Bb%2Cc,second;Alias=x\n"
                + "c\tsrc\tCDS\t3\t5\t.\t+\t0\tParent=g1,g2\n"
                + "###\n"
                + "c\tb2h\tintron\t6\t7\t0\t.\t.\tgrp=SRR1/1;pri=4;src=E\n"
                + "c\tgtf\texon\t1\t2\t.\t-\t.\tgene_id \"G\"; transcript_id \"T\";\n"
                + "##FASTA\n>c\nACGTACGTAC\n");
        List<GffFeature> fs = GffReader.readAll(gff);
        assertEquals(4, fs.size());
        assertEquals(List.of("a;b,c", "second"), fs.get(0).attributes().get("Note"));
        assertEquals(0.5, fs.get(0).score());
        assertEquals(List.of("g1", "g2"), fs.get(1).parents());
        assertEquals(0, fs.get(1).phase());
        assertEquals(2, fs.get(1).start());
        assertEquals(5, fs.get(1).end());
        assertEquals("SRR1/1", fs.get(2).attribute("grp"));
        assertEquals("G", fs.get(3).attribute("gene_id"));
        assertEquals("T", fs.get(3).attribute("transcript_id"));
        Genome g = FastaGenome.fromRecords("mem", List.of(new FastaRecord("c", "", "ACGTACGTAC")));
        assertEquals("GTA", fs.get(1).sequence(g));
        assertEquals("GT", fs.get(3).sequence(g)); // reverse complement of AC
    }

    private GenomicsFormatException badGff(String line) {
        Path p = TestFiles.plain(dir, "bad.gff3", "##gff-version 3\n" + line + "\n");
        return assertThrows(GenomicsFormatException.class, () -> GffReader.readAll(p));
    }

    @Test
    void malformedGffLinesNameFileAndLine() {
        GenomicsFormatException eight = badGff("c\ts\tgene\t1\t10\t.\t+\t.");
        assertEquals(2, eight.line());
        assertTrue(eight.getMessage().contains("bad.gff3, line 2: expected 9 tab-separated columns"), eight.getMessage());
        assertTrue(badGff("c s gene 1 10 . + . ID=x").getMessage().contains("expected 9 tab-separated columns"));
        assertTrue(badGff("c\ts\tgene\t0\t10\t.\t+\t.\tID=x").getMessage().contains("start (column 4) must be between 1 and"));
        assertTrue(badGff("c\ts\tgene\t20\t10\t.\t+\t.\tID=x").getMessage().contains("start 20 is after end 10"));
        assertTrue(badGff("c\ts\tgene\t1\t10\t.\tplus\t.\tID=x").getMessage().contains("strand (column 7)"));
        assertTrue(badGff("c\ts\tCDS\t1\t10\t.\t+\t3\tID=x").getMessage().contains("phase (column 8) must be 0, 1, 2 or '.'"));
        assertTrue(badGff("c\ts\tgene\t1\t10\thigh\t+\t.\tID=x").getMessage().contains("score (column 6)"));
        assertTrue(badGff("c\ts\tgene\t1\t10\t.\t+\t.\tlonely").getMessage().contains("attribute 'lonely' has no value"));
        assertTrue(badGff("c\ts\tgene\t1\t10\t.\t+\t.\tID=%zz").getMessage().contains("bad percent escape"));
    }
}

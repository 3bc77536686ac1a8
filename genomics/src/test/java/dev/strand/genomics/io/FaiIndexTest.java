package dev.strand.genomics.io;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaiIndexTest {
    @TempDir Path dir;

    @Test
    void lambdaIndexEqualsSamtools() {
        FaiIndex fai = FaiIndex.build(TestFiles.resource("lambda/lambda_virus.fa"));
        assertEquals(TestFiles.read(TestFiles.resource("lambda/lambda_virus.samtools.fai")), fai.format());
    }

    @Test
    void crlfTrailingBlankLinesAndSpacedNamesEqualSamtools() {
        FaiIndex fai = FaiIndex.build(TestFiles.resource("htslib/faidx_named.fa"));
        assertEquals(TestFiles.read(TestFiles.resource("htslib/faidx_named.samtools.fai")), fai.format());
    }

    @Test
    void bgzipIndexUsesUncompressedOffsets() {
        String text = TestFiles.read(TestFiles.resource("lambda/lambda_virus.fa"));
        Path bgz = TestFiles.bgzip(dir, "lambda.fa.gz", text);
        assertEquals(TestFiles.read(TestFiles.resource("lambda/lambda_virus.samtools.fai")), FaiIndex.build(bgz).format());
    }

    @Test
    void smallCasesMatchSamtools() {
        // samtools faidx answers, recorded by hand for these inputs
        assertEquals("a\t4\t3\t4\t5\n", FaiIndex.build(TestFiles.plain(dir, "nonl.fa", ">a\nACGT")).format());
        assertEquals("a\t6\t3\t4\t5\nb\t8\t20\t4\t5\n",
                FaiIndex.build(TestFiles.plain(dir, "ok.fa", ">a\nACGT\nAC\n\n>b desc\nAAAA\nAAAA\n")).format());
    }

    @Test
    void lineLengthRulesNameTheLine() {
        GenomicsFormatException shortThenLong = assertThrows(GenomicsFormatException.class,
                () -> FaiIndex.build(TestFiles.plain(dir, "bad1.fa", ">a\nACGT\nAC\nACGT\n>b\nAA\n")));
        assertEquals(4, shortThenLong.line());
        assertTrue(shortThenLong.getMessage().contains("continues after a shorter or blank line"), shortThenLong.getMessage());
        GenomicsFormatException blankInside = assertThrows(GenomicsFormatException.class,
                () -> FaiIndex.build(TestFiles.plain(dir, "bad2.fa", ">a\nACGT\n\nACGT\n")));
        assertEquals(4, blankInside.line());
        GenomicsFormatException longer = assertThrows(GenomicsFormatException.class,
                () -> FaiIndex.build(TestFiles.plain(dir, "bad3.fa", ">a\nACGT\nACGTT\n")));
        assertEquals(3, longer.line());
        assertTrue(longer.getMessage().contains("holds 5 bases but the first line of record 'a' holds 4"), longer.getMessage());
    }

    @Test
    void emptyNameMissingSequenceAndDuplicatesAreErrors() {
        GenomicsFormatException empty = assertThrows(GenomicsFormatException.class,
                () -> FaiIndex.build(TestFiles.resource("htslib/faidx.fa")));
        assertEquals(1, empty.line());
        GenomicsFormatException noSeq = assertThrows(GenomicsFormatException.class,
                () -> FaiIndex.build(TestFiles.plain(dir, "e.fa", ">a\n>b\nAC\n")));
        assertEquals(1, noSeq.line());
        assertTrue(noSeq.getMessage().contains("record 'a' has no sequence"), noSeq.getMessage());
        GenomicsFormatException dup = assertThrows(GenomicsFormatException.class,
                () -> FaiIndex.build(TestFiles.plain(dir, "d.fa", ">a\nAC\n>a\nAC\n")));
        assertEquals(3, dup.line());
        assertThrows(GenomicsFormatException.class, () -> FaiIndex.build(TestFiles.resource("htslib/emptyfile")));
    }

    @Test
    void malformedFaiFileIsAnError() {
        Path fai = TestFiles.plain(dir, "x.fa.fai", "a\t10\t3\t10\t11\nb\tten\t20\t10\t11\n");
        GenomicsFormatException e = assertThrows(GenomicsFormatException.class, () -> FaiIndex.read(fai));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("x.fa.fai, line 2"), e.getMessage());
    }
}

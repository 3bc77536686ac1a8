package dev.strand.genomics.io;

import static org.junit.jupiter.api.Assertions.*;

import htsjdk.samtools.util.GZIIndex;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressionAndBasesTest {
    @TempDir Path dir;

    @Test
    void detectsCompressionFromBytesNotNames() throws IOException {
        assertEquals(Compression.BGZF, Compression.detect(TestFiles.resource("htslib/bgziptest.txt.gz")));
        assertEquals(Compression.PLAIN, Compression.detect(TestFiles.resource("htslib/bgziptest.txt")));
        assertEquals(Compression.PLAIN, Compression.detect(TestFiles.resource("htslib/emptyfile")));
        assertEquals(Compression.GZIP, Compression.detect(TestFiles.gzip(dir, "plain.txt", "hello")));
        assertEquals(Compression.BGZF, Compression.detect(TestFiles.bgzip(dir, "x.txt", "hello")));
        try (InputStream in = Compression.open(TestFiles.resource("htslib/bgziptest.txt.gz"))) {
            assertEquals(TestFiles.read(TestFiles.resource("htslib/bgziptest.txt")), new String(in.readAllBytes()));
        }
    }

    @Test
    void aDamagedGzipHeaderIsAFormatErrorNamingTheFile() throws IOException {
        byte[] bytes = new byte[40];
        java.util.Arrays.fill(bytes, (byte) 0x8b);
        bytes[0] = 0x1f; // gzip's magic, then 0x8b as the compression method, which is not deflate (8)
        Path bad = Files.write(dir.resolve("variants.snp"), bytes);
        GenomicsFormatException e = assertThrows(GenomicsFormatException.class, () -> Compression.open(bad));
        assertTrue(e.getMessage().startsWith(bad + ": damaged gzip header"), e.getMessage());
        Path cut = Files.write(dir.resolve("cut.fa"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0});
        assertTrue(assertThrows(GenomicsFormatException.class, () -> Compression.open(cut)).getMessage().contains("cut.fa"));
    }

    @Test
    void gziBuiltForBgzipEqualsHtslibs() throws IOException {
        // htslib-test's bgziptest.txt.gz.gzi was written by htslib's bgzip -i
        GZIIndex built = GZIIndex.buildIndex(TestFiles.resource("htslib/bgziptest.txt.gz"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        built.writeIndex(out);
        assertArrayEquals(Files.readAllBytes(TestFiles.resource("htslib/bgziptest.txt.gz.gzi")), out.toByteArray());
    }

    @Test
    void reverseComplementCoversIupacAndKeepsCase() {
        assertEquals("ACGT", Bases.reverseComplement("ACGT"));
        assertEquals("nNacgT", Bases.reverseComplement("AcgtNn"));
        assertEquals("YRMKSWVBHDN", Bases.reverseComplement("NHDVBWSMKYR"));
        // pairwise: R<->Y, K<->M, S, W, B<->V, D<->H, U -> A
        assertEquals('Y', Bases.complement('R'));
        assertEquals('m', Bases.complement('k'));
        assertEquals('S', Bases.complement('S'));
        assertEquals('W', Bases.complement('W'));
        assertEquals('V', Bases.complement('B'));
        assertEquals('H', Bases.complement('D'));
        assertEquals('A', Bases.complement('U'));
        assertThrows(IllegalArgumentException.class, () -> Bases.complement('X'));
    }

    @Test
    void acgtTestsAreCaseInsensitive() {
        assertFalse(Bases.containsNonAcgt("acgtACGT"));
        assertTrue(Bases.containsNonAcgt("ACGn"));
        assertTrue(Bases.containsNonAcgt("ACGR"));
        assertEquals(2, Bases.indexOfNonAcgt("acNgt", 0, 5));
        assertEquals(-1, Bases.indexOfNonIupac("ACGTURYSWKMBDHVNacgturyswkmbdhvn"));
        assertEquals(1, Bases.indexOfNonIupac("A-"));
    }

    @Test
    void baseCodesAreTwoBitsInAlphabeticalOrder() {
        String acgt = "ACGT";
        for (int b = 0; b < 4; b++) {
            assertEquals(b, Bases.code(acgt.charAt(b)));
            assertEquals(b, Bases.code(Character.toLowerCase(acgt.charAt(b))));
        }
        for (char c : "NnRUu-\u00c1 ".toCharArray()) assertEquals(-1, Bases.code(c), "code of '" + c + "'");
    }
}

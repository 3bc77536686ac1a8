package dev.strand.genomics.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FastaGenomeTest {
    @TempDir Path dir;

    private static final String LAMBDA = "gi|9626243|ref|NC_001416.1|";

    // ------------------------------------------------------------------ against samtools faidx

    @Test
    void lambdaFetchesEqualSamtoolsFaidx() {
        Path fa = TestFiles.copy("lambda/lambda_virus.fa", dir);
        List<FastaRecord> expected = FastaReader.readAll(TestFiles.resource("lambda/regions.samtools.fa"));
        assertEquals(23, expected.size());
        try (FastaGenome g = FastaGenome.open(fa, dir.resolve("cache"))) {
            assertEquals(List.of(LAMBDA), g.contigs());
            assertEquals(48502, g.length(LAMBDA));
            for (FastaRecord r : expected) {
                int[] se = region(r.name());
                assertEquals(r.sequence(), g.fetch(LAMBDA, se[0] - 1, se[1]), r.name());
            }
        }
    }

    @Test
    void reverseComplementEqualsSamtoolsFaidxDashI() {
        Path fa = TestFiles.copy("lambda/lambda_virus.fa", dir);
        List<FastaRecord> expected = FastaReader.readAll(TestFiles.resource("lambda/regions_rc.samtools.fa"));
        try (FastaGenome g = FastaGenome.open(fa, dir.resolve("cache"))) {
            for (FastaRecord r : expected) {
                assertTrue(r.name().endsWith("/rc"));
                int[] se = region(r.name().substring(0, r.name().length() - 3));
                assertEquals(r.sequence(), Bases.reverseComplement(g.fetch(LAMBDA, se[0] - 1, se[1])), r.name());
            }
        }
    }

    /** "name:start-end" (1-based inclusive, as samtools names its output) → {start, end}. */
    private static int[] region(String name) {
        String coords = name.substring(name.lastIndexOf(':') + 1);
        String[] se = coords.split("-");
        return new int[] {Integer.parseInt(se[0]), Integer.parseInt(se[1])};
    }

    // ------------------------------------------------------------------ index creation

    @Test
    void createsIndexBesideThePlainFastaThenReusesIt() throws IOException {
        Path fa = TestFiles.copy("lambda/lambda_virus.fa", dir);
        Path fai = dir.resolve("lambda_virus.fa.fai");
        assertFalse(Files.exists(fai));
        try (FastaGenome g = FastaGenome.open(fa, dir.resolve("cache"))) {
            assertTrue(g.isIndexed());
            assertEquals(fai, g.indexPath());
        }
        assertEquals(TestFiles.read(TestFiles.resource("lambda/lambda_virus.samtools.fai")), Files.readString(fai));
        long modified = Files.getLastModifiedTime(fai).toMillis();
        try (FastaGenome g = FastaGenome.open(fa, dir.resolve("cache"))) {
            assertEquals(fai, g.indexPath());
            assertEquals("GGGCGGCGAC", g.fetch(LAMBDA, 0, 10));
        }
        assertEquals(modified, Files.getLastModifiedTime(fai).toMillis());
        assertFalse(Files.exists(dir.resolve("cache")));
    }

    @Test
    void usesAnExistingSamtoolsIndex() {
        // htslib-test's xx.fa with its own .fai
        Path fa = TestFiles.copy("htslib/xx.fa", dir);
        TestFiles.copy("htslib/xx.fa.fai", dir);
        try (FastaGenome g = FastaGenome.open(fa, dir.resolve("cache"))) {
            assertEquals(dir.resolve("xx.fa.fai"), g.indexPath());
            assertEquals(List.of("xx", "yy", "zz"), g.contigs());
            assertEquals(30, g.length("zz"));
            assertEquals("TTCCCCCCCCCC", g.fetch("zz", 18, 30));
            assertEquals("AT", g.fetch("yy", 9, 11));
        }
    }

    @Test
    void indexThatCannotBeWrittenBesideGoesToTheCache() {
        // A file name of 250 bytes: "<name>.fai" exceeds the 255-byte name limit, so the index
        // cannot be written beside it, for root too.
        String name = "x".repeat(247) + ".fa";
        Path fa = TestFiles.plain(dir, name, ">c\nACGTACGTNN\nAC\n");
        Path cache = dir.resolve("cache");
        try (FastaGenome g = FastaGenome.open(fa, cache)) {
            assertNotNull(g.indexPath());
            assertTrue(g.indexPath().startsWith(cache), String.valueOf(g.indexPath()));
            assertEquals("NNAC", g.fetch("c", 8, 12));
        }
        try (FastaGenome g = FastaGenome.open(fa, cache)) { // the cached index is found again
            assertTrue(g.indexPath().startsWith(cache));
        }
    }

    @Test
    void staleIndexIsReportedNotUsed() throws IOException {
        Path fa = TestFiles.plain(dir, "s.fa", ">a\nACGTACGT\nACGT\n");
        Files.writeString(dir.resolve("s.fa.fai"), "a\t1200\t3\t8\t9\n");
        GenomicsFormatException e = assertThrows(GenomicsFormatException.class, () -> FastaGenome.open(fa, dir));
        assertTrue(e.getMessage().contains("s.fa.fai") && e.getMessage().contains("does not match"), e.getMessage());
    }

    @Test
    void indexThatDoesNotMatchTheFileIsCaughtOnFetch() throws IOException {
        Path fa = TestFiles.plain(dir, "m.fa", ">a\nACGTACGT\nACGTACGT\n");
        Files.writeString(dir.resolve("m.fa.fai"), "a\t16\t3\t10\t11\n"); // wrong line length
        try (FastaGenome g = FastaGenome.open(fa, dir)) {
            GenomicsFormatException e = assertThrows(GenomicsFormatException.class, () -> g.fetch("a", 0, 16));
            assertTrue(e.getMessage().contains("record 'a'") && e.getMessage().contains("does not match"), e.getMessage());
        }
    }

    // ------------------------------------------------------------------ compression, random access

    private static final String[] GENOME = {
        "chrA", TestFiles.randomBases(11, 5003, "ACGTACGTACGTacgtN"),
        "chrB", TestFiles.randomBases(12, 777, "ACGTacgt"),
        "chrM", TestFiles.randomBases(13, 61, "ACGTRYKMSWN"),
    };

    @Test
    void randomFetchesEqualSlicesOfTheStreamedSequenceForPlainGzipAndBgzip() {
        String text = TestFiles.fasta(60, GENOME);
        Path[] files = {
            TestFiles.plain(dir, "g.fa", text), TestFiles.gzip(dir, "g.fa.gz", text), TestFiles.bgzip(dir, "g.bgz.fa.gz", text),
        };
        List<FastaRecord> streamed = FastaReader.readAll(files[0]);
        SplittableRandom rnd = new SplittableRandom(7);
        for (Path f : files) {
            try (FastaGenome g = FastaGenome.open(f, dir.resolve("cache"))) {
                assertEquals(List.of("chrA", "chrB", "chrM"), g.contigs());
                for (FastaRecord r : streamed) {
                    assertEquals(r.length(), g.length(r.name()));
                    assertEquals(r.sequence(), g.fetch(r.name(), 0, r.length()));
                    for (int i = 0; i < 200; i++) {
                        int s = rnd.nextInt(r.length() + 1);
                        int e = s + rnd.nextInt(r.length() - s + 1);
                        assertEquals(r.sequence().substring(s, e), g.fetch(r.name(), s, e), f + " " + r.name() + " " + s);
                    }
                }
            }
        }
    }

    @Test
    void bgzipGetsFaiAndGziWhilePlainGzipIsLoadedIntoMemory() {
        String text = TestFiles.fasta(60, GENOME);
        Path bgz = TestFiles.bgzip(dir, "b.fa.gz", text);
        try (FastaGenome g = FastaGenome.open(bgz, dir.resolve("cache"))) {
            assertEquals(Compression.BGZF, g.compression());
            assertTrue(g.isIndexed());
        }
        assertTrue(Files.exists(dir.resolve("b.fa.gz.fai")));
        assertTrue(Files.exists(dir.resolve("b.fa.gz.gzi")));
        Path gz = TestFiles.gzip(dir, "p.fa.gz", text);
        try (FastaGenome g = FastaGenome.open(gz, dir.resolve("cache"))) {
            assertEquals(Compression.GZIP, g.compression());
            assertFalse(g.isIndexed());
            assertNull(g.indexPath());
        }
        assertFalse(Files.exists(dir.resolve("p.fa.gz.fai")));
    }

    @Test
    void truncatedBgzipGenomeIsRejected() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) sb.append(TestFiles.fasta(60, "r" + i, TestFiles.randomBases(i, 2000, "ACGT")));
        Path bgz = TestFiles.bgzip(dir, "t.fa.gz", sb.toString());
        Path cut = TestFiles.truncated(bgz, "cut.fa.gz", bgz.toFile().length() * 2 / 3);
        GenomicsFormatException e = assertThrows(GenomicsFormatException.class, () -> FastaGenome.open(cut, dir));
        assertTrue(e.getMessage().contains("cut.fa.gz") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void invalidFastaFailsAtOpenWhenTheIndexIsBuilt() {
        Path fa = TestFiles.plain(dir, "bad.fa", ">a\nACGT\nACXT\n");
        GenomicsFormatException e = assertThrows(GenomicsFormatException.class, () -> FastaGenome.open(fa, dir));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("unexpected character 'X'"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("bad.fa.fai")));
    }

    // ------------------------------------------------------------------ Genome contract

    @Test
    void outOfRangeAndUnknownContigErrorsNameEverything() {
        Path fa = TestFiles.plain(dir, "r.fa", TestFiles.fasta(60, GENOME));
        try (FastaGenome g = FastaGenome.open(fa, dir)) {
            IllegalArgumentException past = assertThrows(IllegalArgumentException.class, () -> g.fetch("chrB", 700, 778));
            assertTrue(past.getMessage().contains("chrB:[700, 778)") && past.getMessage().contains("length 777"),
                    past.getMessage());
            assertThrows(IllegalArgumentException.class, () -> g.fetch("chrB", -1, 5));
            assertThrows(IllegalArgumentException.class, () -> g.fetch("chrB", 6, 5));
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> g.length("chrZ"));
            assertTrue(unknown.getMessage().contains("'chrZ'") && unknown.getMessage().contains("r.fa"), unknown.getMessage());
            assertEquals("", g.fetch("chrB", 777, 777));
            assertTrue(g.source().endsWith("r.fa"));
        }
    }

    @Test
    void softMaskingIsKept() {
        Path fa = TestFiles.plain(dir, "soft.fa", ">c\nACGTacgtNNnn\nacGT\n");
        try (FastaGenome g = FastaGenome.open(fa, dir)) {
            assertEquals("TacgtNNnnac", g.fetch("c", 3, 14));
        }
    }

    // ------------------------------------------------------------------ ambiguity policy

    @Test
    void ambiguityPolicyAndNonAcgtWindows() {
        // htslib-test md.fa: AAAAAAAAAACCCCCCCCYNNRGGGGGGGGTTTTTTTTTT (Y N N R at 18..21)
        Path fa = TestFiles.copy("htslib/md.fa", dir);
        try (FastaGenome g = FastaGenome.open(fa, dir)) {
            assertFalse(g.containsNonAcgt("a", 0, 18));
            assertTrue(g.containsNonAcgt("a", 17, 19));
            assertTrue(g.containsNonAcgt("a", 21, 22));
            assertFalse(g.containsNonAcgt("a", 22, 40));
            assertFalse(g.containsNonAcgt("a", 18, 18));
            assertTrue(AmbiguityPolicy.KEEP.accepts(g, "a", 0, 40));
            assertFalse(AmbiguityPolicy.SKIP.accepts(g, "a", 0, 40));
            assertTrue(AmbiguityPolicy.SKIP.accepts(g, "a", 22, 40));
        }
        assertTrue(AmbiguityPolicy.SKIP.accepts("acgtACGT"));
        assertFalse(AmbiguityPolicy.SKIP.accepts("acgtnACGT"));
        assertTrue(AmbiguityPolicy.KEEP.accepts("NNNN"));
    }

    @Test
    void nonAcgtTableAgreesWithAScanOnRandomWindows() {
        String[] rec = {"c", TestFiles.randomBases(5, 20_000, "ACGTacgt".repeat(40) + "NRY")};
        Path fa = TestFiles.plain(dir, "n.fa", TestFiles.fasta(70, rec));
        SplittableRandom rnd = new SplittableRandom(3);
        try (FastaGenome g = FastaGenome.open(fa, dir)) {
            Genome plainView = new Genome() { // goes through fetch, not the table
                public List<String> contigs() { return g.contigs(); }
                public int length(String c) { return g.length(c); }
                public String fetch(String c, int s, int e) { return g.fetch(c, s, e); }
                public String source() { return g.source(); }
            };
            for (int i = 0; i < 2000; i++) {
                int s = rnd.nextInt(20_000);
                int e = s + rnd.nextInt(Math.min(300, 20_000 - s) + 1);
                assertEquals(AmbiguityPolicy.containsNonAcgt(plainView, "c", s, e), g.containsNonAcgt("c", s, e), s + "-" + e);
            }
        }
    }

    @Test
    void fromRecordsRejectsDuplicateNames() {
        List<FastaRecord> recs = List.of(new FastaRecord("a", "", "AC"), new FastaRecord("a", "", "GT"));
        GenomicsFormatException e = assertThrows(GenomicsFormatException.class, () -> FastaGenome.fromRecords("mem", recs));
        assertTrue(e.getMessage().contains("duplicate record name 'a'"), e.getMessage());
    }
}

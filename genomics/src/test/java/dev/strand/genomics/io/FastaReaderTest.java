package dev.strand.genomics.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FastaReaderTest {
    @TempDir Path dir;

    private static final String MULTI = ">chr1 first contig\nACGTacgtNN\nRYKM\n\n>chr2\r\naaaaCCCC\r\nGG\r\n>chr3   spaced   desc  \nT\n";

    private static void assertMulti(List<FastaRecord> recs) {
        assertEquals(3, recs.size());
        assertEquals(new FastaRecord("chr1", "first contig", "ACGTacgtNNRYKM"), recs.get(0));
        assertEquals(new FastaRecord("chr2", "", "aaaaCCCCGG"), recs.get(1));
        assertEquals(new FastaRecord("chr3", "spaced   desc", "T"), recs.get(2));
    }

    @Test
    void readsPlainGzipAndBgzipAlike() {
        assertMulti(FastaReader.readAll(TestFiles.plain(dir, "m.fa", MULTI)));
        assertMulti(FastaReader.readAll(TestFiles.gzip(dir, "m.fa.gz", MULTI)));
        assertMulti(FastaReader.readAll(TestFiles.bgzip(dir, "m.fa.bgz", MULTI)));
    }

    @Test
    void keepsSoftMaskingAndIupacCodes() {
        FastaRecord r = FastaReader.readAll(TestFiles.plain(dir, "s.fa", ">x\nacgtNNNNrykmswbdhvuACGT\n")).get(0);
        assertEquals("acgtNNNNrykmswbdhvuACGT", r.sequence());
    }

    @Test
    void streamsLongSingleLineRecordsAcrossBufferBoundaries() {
        String a = TestFiles.randomBases(1, 300_000, "ACGTacgt");
        String b = TestFiles.randomBases(2, 1000, "ACGT");
        String text = ">a\n" + a + "\n>b\n" + b; // no final newline
        try (FastaReader r = FastaReader.of(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), "mem")) {
            assertEquals(a, r.next().sequence());
            assertEquals(b, r.next().sequence());
            assertFalse(r.hasNext());
        }
    }

    @Test
    void streamsAManyMegabaseRecordWithoutHoldingTheInput() {
        // 20 Mb generated on the fly: the reader holds the record, never a copy of the whole input.
        int n = 20_000_000;
        InputStream gen = new InputStream() {
            final byte[] header = ">big\n".getBytes(StandardCharsets.US_ASCII);
            long pos;

            @Override
            public int read() {
                long total = header.length + n + n / 80;
                if (pos >= total) return -1;
                long p = pos++;
                if (p < header.length) return header[(int) p];
                long q = p - header.length;
                return q % 81 == 80 ? '\n' : "ACGT".charAt((int) (q % 4));
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int i = 0;
                for (; i < len; i++) {
                    int c = read();
                    if (c < 0) break;
                    b[off + i] = (byte) c;
                }
                return i == 0 && len > 0 ? -1 : i;
            }
        };
        try (FastaReader r = FastaReader.of(gen, "generated")) {
            FastaRecord rec = r.next();
            assertEquals("big", rec.name());
            assertTrue(rec.length() >= n - 80 && rec.length() <= n, "length " + rec.length());
            assertEquals("ACGTACGT", rec.sequence().substring(0, 8));
        }
    }

    @Test
    void htslibMultilineAndIupacFilesParse() {
        List<FastaRecord> recs = FastaReader.readAll(TestFiles.resource("htslib/multiline.fa"));
        assertEquals(List.of("seq1", "seq2"), recs.stream().map(FastaRecord::name).toList());
        assertEquals("NAAAAAAAAACCCCCCCCCCGGGGGGGGGGTTTTTTTTN", recs.get(0).sequence());
        assertEquals('R', recs.get(1).sequence().charAt(0));
        FastaRecord md = FastaReader.readAll(TestFiles.resource("htslib/md.fa")).get(0);
        assertEquals("AAAAAAAAAACCCCCCCCYNNRGGGGGGGGTTTTTTTTTT", md.sequence());
    }

    @Test
    void htslibFaidxFileWithNamesAgreesWithSamtools() {
        // faidx_named.fa: htslib-test's faidx.fa minus its nameless first record; trailing blank
        // lines, CR LF line ends, blanks before the name and a description.
        List<FastaRecord> recs = FastaReader.readAll(TestFiles.resource("htslib/faidx_named.fa"));
        String expected = TestFiles.read(TestFiles.resource("htslib/faidx_named.samtools.fai"));
        StringBuilder got = new StringBuilder();
        for (FastaRecord r : recs) got.append(r.name()).append('\t').append(r.length()).append('\n');
        StringBuilder want = new StringBuilder();
        for (String line : expected.split("\n")) {
            String[] f = line.split("\t");
            want.append(f[0]).append('\t').append(f[1]).append('\n');
        }
        assertEquals(want.toString(), got.toString());
        assertEquals("description", recs.get(4).description());
        assertEquals("with last dna line the same length", recs.get(1).description());
        assertEquals("trailingblank2 with last dna line the same length", recs.get(1).header());
        assertEquals("foo", recs.get(3).header(), "no description: the header is the name");
        assertEquals("ACGTA", recs.get(2).sequence());
    }

    // ------------------------------------------------------------------ bad input

    private GenomicsFormatException fails(Path p) {
        return assertThrows(GenomicsFormatException.class, () -> FastaReader.readAll(p));
    }

    @Test
    void emptyFileIsAnError() {
        GenomicsFormatException e = fails(TestFiles.resource("htslib/emptyfile"));
        assertTrue(e.getMessage().contains("emptyfile"), e.getMessage());
        assertTrue(e.getMessage().contains("expected at least one record"), e.getMessage());
    }

    @Test
    void headerWithEmptyNameIsAnError() {
        // htslib-test's faidx.fa starts with ">" alone.
        GenomicsFormatException e = fails(TestFiles.resource("htslib/faidx.fa"));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("faidx.fa, line 1: header has an empty name"), e.getMessage());
    }

    @Test
    void headerWithoutSequenceIsAnError() {
        GenomicsFormatException mid = fails(TestFiles.plain(dir, "e1.fa", ">a\nACGT\n>b\n\n>c\nAC\n"));
        assertEquals(3, mid.line());
        assertTrue(mid.getMessage().contains("e1.fa, line 3: record 'b' has no sequence"), mid.getMessage());
        GenomicsFormatException last = fails(TestFiles.plain(dir, "e2.fa", ">a\nACGT\n>z desc\n"));
        assertEquals(3, last.line());
        assertTrue(last.getMessage().contains("record 'z' has no sequence"), last.getMessage());
    }

    @Test
    void characterOutsideIupacIsAnErrorWithLineAndColumn() {
        GenomicsFormatException e = fails(TestFiles.plain(dir, "bad.fa", ">a\nACGT\nAC-T\n"));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("bad.fa, line 3: unexpected character '-' at column 3 in record 'a'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("expected IUPAC"), e.getMessage());
        GenomicsFormatException digit = fails(TestFiles.plain(dir, "bad2.fa", ">a\nAC GT\n"));
        assertTrue(digit.getMessage().contains("line 2: unexpected character ' ' (space) at column 3"), digit.getMessage());
    }

    @Test
    void sequenceBeforeFirstHeaderIsAnError() {
        GenomicsFormatException e = fails(TestFiles.plain(dir, "nohead.fa", "\nACGT\n>a\nAC\n"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("expected a '>' header line"), e.getMessage());
    }

    @Test
    void aByteOrderMarkIsNamedForWhatItIs() throws Exception {
        Path bom = dir.resolve("bom.fa");
        Files.write(bom, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, ">a\nACGT\n".getBytes(StandardCharsets.US_ASCII)));
        GenomicsFormatException e = fails(bom);
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("bom.fa, line 1: the file starts with a UTF-8 byte-order mark"), e.getMessage());
        GenomicsFormatException indexed = assertThrows(GenomicsFormatException.class, () -> FastaGenome.open(bom));
        assertTrue(indexed.getMessage().contains("byte-order mark"), indexed.getMessage());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void truncatedGzipIsAnErrorNamingFileAndLine() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) text.append(">r").append(i).append('\n').append(TestFiles.randomBases(i, 500, "ACGT")).append('\n');
        Path gz = TestFiles.gzip(dir, "full.fa.gz", text.toString());
        Path cut = TestFiles.truncated(gz, "cut.fa.gz", gz.toFile().length() / 2);
        GenomicsFormatException e = fails(cut);
        assertTrue(e.getMessage().startsWith(cut + ", line "), e.getMessage());
        assertTrue(e.getMessage().contains("truncated or corrupt compressed input"), e.getMessage());
        assertTrue(e.line() > 1);
    }

    @Test
    void truncatedBgzipIsAnError() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) text.append(">r").append(i).append('\n').append(TestFiles.randomBases(i, 500, "ACGT")).append('\n');
        Path bgz = TestFiles.bgzip(dir, "full.fa.bgz", text.toString());
        long size = bgz.toFile().length();
        Path midBlock = TestFiles.truncated(bgz, "mid.fa.bgz", size / 2);
        GenomicsFormatException e = fails(midBlock);
        assertTrue(e.getMessage().contains("mid.fa.bgz") && e.getMessage().contains("truncated"), e.getMessage());
        Path noEof = TestFiles.truncated(bgz, "noeof.fa.bgz", size - 28); // drop the BGZF EOF block only
        GenomicsFormatException e2 = fails(noEof);
        assertTrue(e2.getMessage().contains("end-of-file marker block is missing"), e2.getMessage());
    }
}

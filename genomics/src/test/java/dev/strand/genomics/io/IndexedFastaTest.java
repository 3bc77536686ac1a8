package dev.strand.genomics.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A FASTA read by byte ranges through its index gives what samtools faidx gives, and refuses what does not fit. */
class IndexedFastaTest {
    @TempDir Path dir;

    private static IndexedFasta open(Path fasta) throws IOException {
        RandomAccessFile file = new RandomAccessFile(fasta.toFile(), "r");
        return new IndexedFasta(FaiIndex.build(fasta), new IndexedFasta.ByteRanges() {
            @Override
            public synchronized void read(long position, byte[] into) throws IOException {
                file.seek(position);
                file.readFully(into);
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        }, fasta.toString());
    }

    @Test
    void lambdaFetchesEqualSamtoolsFaidx() throws IOException {
        Path fa = TestFiles.copy("lambda/lambda_virus.fa", dir);
        List<FastaRecord> expected = FastaReader.readAll(TestFiles.resource("lambda/regions.samtools.fa"));
        try (IndexedFasta g = open(fa)) {
            for (FastaRecord r : expected) {
                String coords = r.name().substring(r.name().lastIndexOf(':') + 1);
                String[] se = coords.split("-");
                assertEquals(r.sequence(), g.fetch(g.contigs().get(0), Integer.parseInt(se[0]) - 1, Integer.parseInt(se[1])), r.name());
            }
        }
    }

    @Test
    void wrappedCrlfRecordsEqualTheReaderAtRandomRanges() throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder text = new StringBuilder();
        String[] seqs = new String[3];
        for (int r = 0; r < seqs.length; r++) {
            StringBuilder seq = new StringBuilder();
            for (int i = 0; i < 500 + 211 * r; i++) seq.append("ACGTNacgt".charAt(random.nextInt(9)));
            seqs[r] = seq.toString();
            text.append(">chr").append(r).append(" description\r\n");
            for (int i = 0; i < seqs[r].length(); i += 37) text.append(seqs[r], i, Math.min(seqs[r].length(), i + 37)).append("\r\n");
        }
        Path fa = TestFiles.plain(dir, "crlf.fa", text.toString());
        try (IndexedFasta g = open(fa)) {
            assertEquals(List.of("chr0", "chr1", "chr2"), g.contigs());
            for (int k = 0; k < 300; k++) {
                int r = random.nextInt(3), n = seqs[r].length();
                int start = random.nextInt(n + 1), end = start + random.nextInt(n - start + 1);
                assertEquals(seqs[r].substring(start, end), g.fetch("chr" + r, start, end), "chr" + r + ":" + start + "-" + end);
            }
            IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> g.fetch("chr0", 10, 501));
            assertTrue(outside.getMessage().contains("of length 500"), outside.getMessage());
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> g.fetch("chrX", 0, 1));
            assertTrue(unknown.getMessage().contains("unknown contig 'chrX'"), unknown.getMessage());
        }
    }

    @Test
    void anIndexThatDoesNotFitItsFileIsRefusedNamingBoth() {
        FaiIndex index = new FaiIndex(List.of(new FaiIndex.Entry("chr1", 1000, 6, 60, 61)));
        GenomicsFormatException e = assertThrows(GenomicsFormatException.class, () -> index.checkFits(500, "g.fa", "g.fa.fai"));
        assertTrue(e.getMessage().contains("g.fa.fai") && e.getMessage().contains("does not match g.fa (500 bytes)"), e.getMessage());
    }
}

package dev.strand.genomics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.io.FastaGenome;
import dev.strand.genomics.io.FastaReader;
import dev.strand.genomics.io.GenomicsFormatException;
import dev.strand.genomics.io.VcfReader;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.genomics.variants.HisatSnpTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz tests of the readers of user files: on any bytes each may only return a result or throw its
 * documented format exception, whose message names the file. In an ordinary test run (CI) each
 * replays its seed corpus and every input that once broke it, from
 * {@code src/test/resources/dev/strand/genomics/ReaderFuzzTestInputs/METHOD/} (this class sits in the root package, outside the layers, because it reads from several of them); with
 * {@code JAZZER_FUZZ=1} it fuzzes (see the README's reliability section for the command).
 */
class ReaderFuzzTest {
    /** Writes the input to a fresh file with the given name (the extension picks the format) and runs the reader on it. */
    private static void withFile(String name, byte[] input, FileReader reader) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("strand-fuzz");
            Path file = dir.resolve(name);
            Files.write(file, input);
            try {
                reader.read(file, dir);
            } catch (GenomicsFormatException | IllegalArgumentException e) {
                assertTrue(e.getMessage() != null && e.getMessage().contains(name), "the error should name the file: " + e.getMessage());
            } catch (IOException e) {
                assertTrue(e.getMessage() != null && e.getMessage().contains(name), "the error should name the file: " + e.getMessage());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) deleteTree(dir);
        }
    }

    @FunctionalInterface
    private interface FileReader {
        void read(Path file, Path dir) throws IOException;
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is not the reader's fault
        }
    }

    @FuzzTest(maxDuration = "10m")
    void fasta(byte[] input) {
        withFile("in.fa", input, (file, dir) -> FastaReader.readAll(file));
    }

    /** The indexed reader: builds the .fai, then reads every contig through it. */
    @FuzzTest(maxDuration = "10m")
    void fastaIndex(byte[] input) {
        withFile("in.fa", input, (file, dir) -> {
            try (FastaGenome genome = FastaGenome.open(file, dir)) {
                for (String contig : genome.contigs()) genome.fetch(contig, 0, Math.min(genome.length(contig), 4096));
            }
        });
    }

    @FuzzTest(maxDuration = "10m")
    void vcf(byte[] input) {
        withFile("in.vcf", input, (file, dir) -> VcfReader.readAll(file));
    }

    /** A HISAT2 SNP table against a small fixed genome (chr1 of 64 bases). */
    @FuzzTest(maxDuration = "10m")
    void hisatSnpTable(byte[] input) {
        withFile("in.snp", input, (file, dir) -> {
            Path fasta = dir.resolve("genome.fa");
            Files.writeString(fasta, ">chr1\n" + "ACGTTGCA".repeat(8) + "\n");
            try (FastaGenome genome = FastaGenome.open(fasta, dir)) {
                HisatSnpTable.read(file, genome);
            }
        });
    }

    @FuzzTest(maxDuration = "10m")
    void labelledCsv(byte[] input) {
        withFile("rows.csv", input, (file, dir) -> {
            LabelledDataset.read(file, LabelledDataset.Task.CLASSIFICATION);
            LabelledDataset.read(file, LabelledDataset.Task.REGRESSION);
        });
    }

    @FuzzTest(maxDuration = "10m")
    void tokenizerJson(byte[] input) {
        withFile("tokenizer.json", input, (file, dir) -> Tokenizers.load(file));
    }
}

package dev.strand.genomics.io;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * How to open a genome, in a form that travels to other machines: a data-parallel replica that
 * draws its own training windows opens the genome where it runs. Equal sources open the same
 * genome (a replica keeps what it opened by source).
 */
public interface GenomeSource extends Serializable {
    /** Opens the genome; the caller closes it. */
    Genome open();

    /** Where it is, for messages. */
    String location();

    /** A FASTA file on a path every process that opens it can read ({@link FastaGenome}: plain, gzip or bgzip). */
    static GenomeSource fasta(Path file) {
        return new LocalFasta(file.toAbsolutePath().toString());
    }

    /** A FASTA at a local (or shared) path. */
    record LocalFasta(String location) implements GenomeSource {
        @Override
        public Genome open() {
            return FastaGenome.open(Path.of(location));
        }
    }
}

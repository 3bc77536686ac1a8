package dev.strand.genomics.io;

import java.util.List;

/**
 * Random access to the sequences of a genome (contigs or chromosomes), by 0-based half-open
 * coordinates. Bases come back uppercase-or-lowercase as stored (soft-masked repeats stay
 * lowercase); callers that need one case convert.
 */
public interface Genome extends AutoCloseable {
    /** Contig names in file order. */
    List<String> contigs();

    /** Length of a contig in bases; an unknown name is an error naming it. */
    int length(String contig);

    /**
     * Bases [start, end) of a contig. Out-of-range coordinates are an error that names the contig,
     * the coordinates and the contig's length.
     */
    String fetch(String contig, int start, int end);

    /** Where the genome came from (a file path), for error messages. */
    String source();

    @Override
    default void close() {}
}

/**
 * Genomics input: FASTA (streaming with {@link dev.strand.genomics.io.FastaReader}, random access
 * with {@link dev.strand.genomics.io.FastaGenome} and samtools-compatible {@code .fai}/{@code .gzi}
 * indexes), VCF sites and their check against a reference ({@link dev.strand.genomics.io.VcfReader},
 * {@link dev.strand.genomics.io.VariantCheck}), BED, GFF3/GTF, GenBank feature tables and AUGUSTUS
 * training genes. Plain, gzip and bgzip input are detected from the bytes. FASTA records are
 * {@link dev.strand.genomics.io.FastaRecord}s wherever they appear; the nucleotide alphabet, base
 * codes and complements are {@link dev.strand.genomics.io.Bases}'.
 *
 * <p>Coordinates in memory are 0-based half-open everywhere, except {@link
 * dev.strand.genomics.io.VcfVariant#pos()}, which keeps VCF's 1-based position. Bad input fails
 * with a {@link dev.strand.genomics.io.GenomicsFormatException} naming the file, the line (or
 * record) and what was expected.
 *
 * <p>Layering: the bottom layer, with {@code ml}; uses no other genomics package (htsjdk and the
 * JDK only).
 */
package dev.strand.genomics.io;

package dev.strand.genomics.variants;

import dev.strand.genomics.io.Bases;
import dev.strand.genomics.io.Compression;
import dev.strand.genomics.io.Genome;
import dev.strand.genomics.io.GenomicsFormatException;
import dev.strand.genomics.io.VcfVariant;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HISAT2's SNP table ({@code hisat2_extract_snps_haplotypes_*.py} writes it, e.g. the
 * {@code 22_20-21M.snp} example of the Debian {@code hisat2} package) as VCF-style variants.
 *
 * <p>Each line is {@code ID TYPE CONTIG OFFSET DATA}, tab-separated, with OFFSET 0-based on the
 * contig (the FASTA record HISAT2 indexed):
 * <ul>
 *   <li>{@code single}: the base at OFFSET becomes DATA (one letter) → POS = OFFSET + 1, REF the
 *       genome's base there, ALT = DATA;</li>
 *   <li>{@code deletion}: DATA bases starting at OFFSET are deleted → anchored on the base before,
 *       as VCF writes deletions: POS = OFFSET, REF = that base + the deleted ones, ALT = that base;</li>
 *   <li>{@code insertion}: DATA is inserted before OFFSET → POS = OFFSET, REF = the base before,
 *       ALT = that base + DATA.</li>
 * </ul>
 * An indel at offset 0 has no base before it and is anchored on the base after it instead, as VCF
 * does at the start of a contig. The table holds no REF, so REF comes from the genome; a line whose
 * contig is not in the genome, or whose offset lies outside it, is an error naming the line.
 */
public final class HisatSnpTable {
    private HisatSnpTable() {}

    /** The variants of a SNP table (plain or gzip), REF taken from {@code genome}, in file order. */
    public static List<VcfVariant> read(Path table, Genome genome) {
        String source = table.toString();
        List<VcfVariant> out = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Compression.open(table), StandardCharsets.UTF_8))) {
            String line;
            long n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) continue;
                out.add(parse(line, n, source, genome));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read HISAT2 SNP table " + table, e);
        }
        return out;
    }

    private static VcfVariant parse(String line, long n, String source, Genome genome) {
        String[] f = line.split("\t", -1);
        if (f.length < 5) {
            throw new GenomicsFormatException(source, n, "expected 5 tab-separated columns (ID TYPE CONTIG OFFSET DATA) of a HISAT2 SNP table, found " + f.length);
        }
        String id = f[0], type = f[1], contig = f[2], data = f[4].trim().toUpperCase(Locale.ROOT);
        if (!genome.contigs().contains(contig)) {
            throw new GenomicsFormatException(source, n, "contig '" + contig + "' is not in the genome " + genome.source()
                    + " (its contigs: " + preview(genome.contigs()) + "); use the FASTA the SNP table was made for");
        }
        int length = genome.length(contig);
        int offset = integer(f[3], "OFFSET", source, n);
        int deleted = type.equals("deletion") ? integer(data, "deletion length", source, n) : 0;
        // In long: an offset near 2^31 plus a length must not wrap round to a small number.
        if (offset < 0 || (long) offset + Math.max(deleted, 1) > length + (type.equals("insertion") ? 1 : 0)) {
            throw new GenomicsFormatException(source, n, "offset " + offset + " lies outside contig '" + contig + "' (length " + length + ")");
        }
        if (type.equals("deletion") && offset == 0 && (long) deleted + 1 > length) {
            throw new GenomicsFormatException(source, n, "a deletion of " + deleted + " bases at the start of contig '" + contig + "' (length " + length
                    + ") leaves no base after it to anchor on");
        }
        return switch (type) {
            case "single" -> {
                if (data.length() != 1 || !Bases.isAcgt(data.charAt(0))) {
                    throw new GenomicsFormatException(source, n, "a single-nucleotide change needs one base A/C/G/T, found '" + f[4] + "'");
                }
                yield variant(contig, offset + 1, id, genome.fetch(contig, offset, offset + 1), data, source, n);
            }
            case "deletion" -> {
                if (deleted < 1) throw new GenomicsFormatException(source, n, "deletion length must be positive, found " + data);
                if (offset == 0) {
                    String ref = genome.fetch(contig, 0, deleted + 1);
                    yield variant(contig, 1, id, ref, ref.substring(deleted), source, n);
                }
                String ref = genome.fetch(contig, offset - 1, offset + deleted);
                yield variant(contig, offset, id, ref, ref.substring(0, 1), source, n);
            }
            case "insertion" -> {
                if (data.isEmpty() || Bases.containsNonAcgt(data)) {
                    throw new GenomicsFormatException(source, n, "an insertion needs bases A/C/G/T, found '" + f[4] + "'");
                }
                if (offset == 0) {
                    String after = genome.fetch(contig, 0, 1);
                    yield variant(contig, 1, id, after, data + after, source, n);
                }
                String before = genome.fetch(contig, offset - 1, offset);
                yield variant(contig, offset, id, before, before + data, source, n);
            }
            default -> throw new GenomicsFormatException(source, n, "unknown variant type '" + type + "': expected single, deletion or insertion");
        };
    }

    private static VcfVariant variant(String contig, int pos, String id, String ref, String alt, String source, long n) {
        return new VcfVariant(contig, pos, id, ref.toUpperCase(Locale.ROOT), List.of(alt), source, n);
    }

    private static int integer(String s, String what, String source, long n) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new GenomicsFormatException(source, n, what + " '" + s + "' is not an integer");
        }
    }

    private static String preview(List<String> names) {
        return names.size() <= 5 ? String.join(", ", names) : String.join(", ", names.subList(0, 5)) + ", …";
    }
}

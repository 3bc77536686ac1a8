package dev.strand.genomics.io;

import java.util.List;

/**
 * One VCF data line: chromosome, 1-based position, ID ({@code "."} when none), REF and the ALT
 * alleles (empty when ALT is {@code "."}; symbolic alleles like {@code <DEL>} and {@code *} are
 * kept as written). {@code source} and {@code line} say where it was read, for error messages.
 */
public record VcfVariant(String chrom, int pos, String id, String ref, List<String> alts, String source, long line) {
    public VcfVariant {
        alts = List.copyOf(alts);
    }

    /** A variant not read from a file (tests, generated variants). */
    public static VcfVariant of(String chrom, int pos, String ref, String... alts) {
        return new VcfVariant(chrom, pos, ".", ref, List.of(alts), "(built)", 0);
    }

    /** 0-based start of REF on the contig. */
    public int start() {
        return pos - 1;
    }

    /** 0-based exclusive end of REF on the contig. */
    public int end() {
        return pos - 1 + ref.length();
    }

    /** A single-nucleotide variant: REF and every ALT one base. */
    public boolean isSnv() {
        if (ref.length() != 1 || alts.isEmpty()) return false;
        for (String a : alts) {
            if (a.length() != 1 || !Bases.isIupac(a.charAt(0))) return false;
        }
        return true;
    }

    /** Where it was read: {@code file, line N}. */
    public String location() {
        return line > 0 ? source + ", line " + line : source;
    }

    @Override
    public String toString() {
        return chrom + ":" + pos + " " + ref + ">" + (alts.isEmpty() ? "." : String.join(",", alts));
    }
}

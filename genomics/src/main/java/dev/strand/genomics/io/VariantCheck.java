package dev.strand.genomics.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks variants against a reference {@link Genome}, the way {@code bcftools norm --check-ref}
 * does: every variant's REF must equal the genome's bases at its position (case-insensitively,
 * since soft-masking is not a difference). Nothing is silently used or dropped: each variant ends
 * in {@link #ok()} or in {@link #problems()} with a {@link Reason} and a message naming the
 * variant's file and line. {@link #requireAllOk()} turns problems into an error.
 */
public final class VariantCheck {
    /** Why a variant failed the check. */
    public enum Reason {
        /** The chromosome is not a contig of the genome. */
        UNKNOWN_CONTIG,
        /** POS, or the end of REF, lies past the end of the contig. */
        PAST_CONTIG_END,
        /** REF differs from the genome's bases. */
        REF_MISMATCH
    }

    /** A variant that failed, why, and a message naming its file and line. */
    public record Problem(VcfVariant variant, Reason reason, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    private final String genomeSource;
    private final List<VcfVariant> ok;
    private final List<Problem> problems;

    private VariantCheck(String genomeSource, List<VcfVariant> ok, List<Problem> problems) {
        this.genomeSource = genomeSource;
        this.ok = List.copyOf(ok);
        this.problems = List.copyOf(problems);
    }

    /** Checks every variant against the genome. */
    public static VariantCheck run(Genome genome, Iterable<VcfVariant> variants) {
        Set<String> contigs = new HashSet<>(genome.contigs());
        List<VcfVariant> ok = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (VcfVariant v : variants) {
            String where = v.location() + ": " + v.chrom() + ":" + v.pos();
            if (!contigs.contains(v.chrom())) {
                problems.add(new Problem(v, Reason.UNKNOWN_CONTIG,
                        where + ": contig '" + v.chrom() + "' is not in the genome " + genome.source()));
                continue;
            }
            int len = genome.length(v.chrom());
            if (v.pos() > len || (long) v.start() + v.ref().length() > len) {
                problems.add(new Problem(v, Reason.PAST_CONTIG_END, where + ": "
                        + (v.pos() > len ? "POS " + v.pos() : "REF '" + v.ref() + "' ending at " + v.end())
                        + " is past the end of contig '" + v.chrom() + "' (length " + len + ") in " + genome.source()));
                continue;
            }
            String actual = genome.fetch(v.chrom(), v.start(), v.end());
            if (!actual.equalsIgnoreCase(v.ref())) {
                problems.add(new Problem(v, Reason.REF_MISMATCH, where + ": REF '" + v.ref() + "' but the genome "
                        + genome.source() + " has '" + actual.toUpperCase(Locale.ROOT) + "'"));
                continue;
            }
            ok.add(v);
        }
        return new VariantCheck(genome.source(), ok, problems);
    }

    /** Variants whose REF matches the genome. */
    public List<VcfVariant> ok() {
        return ok;
    }

    /** Variants that failed, with reasons. */
    public List<Problem> problems() {
        return problems;
    }

    /** The failed variants only. */
    public List<VcfVariant> mismatched() {
        return problems.stream().map(Problem::variant).toList();
    }

    public boolean allOk() {
        return problems.isEmpty();
    }

    /**
     * Returns this check when every variant passed; otherwise throws a {@link
     * GenomicsFormatException} naming the first failing variant's file and line, and how many
     * failed in all.
     */
    public VariantCheck requireAllOk() {
        if (problems.isEmpty()) return this;
        Problem first = problems.get(0);
        VcfVariant v = first.variant();
        String rest = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem(s))" : "";
        String msg = first.message();
        String prefix = v.location() + ": ";
        if (msg.startsWith(prefix)) msg = msg.substring(prefix.length());
        throw new GenomicsFormatException(v.source(), v.line(),
                msg + rest + "; expected REF to match the reference genome " + genomeSource);
    }

    @Override
    public String toString() {
        return "VariantCheck[" + ok.size() + " ok, " + problems.size() + " problem(s)]";
    }
}

package dev.strand.genomics.variants;

import dev.strand.nn.checkpoint.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Variant scores as a tab-separated table, written atomically. Columns: {@code chrom pos id ref alt
 * origin score method window_start window_end status note}; {@code pos} and the window are 1-based
 * and inclusive (as VCF positions), {@code origin} is {@code real} or {@code control}, {@code score}
 * is the log-likelihood ratio alt over ref in nats ({@code NA} when not scored), {@code status} is
 * {@code ok}, {@code ref_mismatch}, {@code unknown_contig}, {@code past_contig_end} or
 * {@code skipped}, and {@code note} says why a row was not scored.
 */
public final class ScoreTable {
    public static final String HEADER = "chrom\tpos\tid\tref\talt\torigin\tscore\tmethod\twindow_start\twindow_end\tstatus\tnote";

    private ScoreTable() {}

    /** The table's text: the header and one line per row. */
    public static String format(VariantScorer.Result result) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (VariantScore s : result.scores()) {
            sb.append(s.chrom()).append('\t').append(s.pos()).append('\t').append(s.id()).append('\t').append(s.ref()).append('\t')
                    .append(s.alt()).append('\t').append(s.origin().name().toLowerCase(Locale.ROOT)).append('\t')
                    .append(s.scored() ? String.format(Locale.ROOT, "%.5f", s.score()) : "NA").append('\t')
                    .append(s.method() == null ? "NA" : s.method().label).append('\t')
                    .append(s.scored() ? String.valueOf(s.windowStart()) : "NA").append('\t')
                    .append(s.scored() ? String.valueOf(s.windowEnd()) : "NA").append('\t')
                    .append(s.status().label()).append('\t')
                    .append(s.note().replace('\t', ' ').replace('\n', ' ')).append('\n');
        }
        return sb.toString();
    }

    /** Writes the table to {@code file} atomically. */
    public static void write(Path file, VariantScorer.Result result) throws IOException {
        AtomicFiles.write(file, format(result).getBytes(StandardCharsets.UTF_8));
    }
}

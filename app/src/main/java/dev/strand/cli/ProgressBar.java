package dev.strand.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * A one-line progress bar for long jobs: step, metrics, rate and ETA, redrawn in place on a
 * terminal (carriage return) and printed as plain lines at most every few seconds otherwise
 * (log files, CI).
 *
 * <pre>pretrain [#########-----------]  450/1000  loss 1.842  3,120 tok/s  ETA 2m 56s</pre>
 */
public final class ProgressBar {
    private final String label;
    private final int total;
    private final String unit;
    private final PrintStream out;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private long lastPrint;
    // Rate and ETA count from here: the bar's creation for a fresh job, the first update of a resumed one.
    private int fromStep = -1;
    private long fromUnits, fromTime;

    /**
     * @param unit what the rate counts per second ("tok/s" counts the {@code units} passed to
     *             {@link #update})
     */
    public ProgressBar(String label, int total, String unit, PrintStream out) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.interactive = System.console() != null && out == System.err;
    }

    /** Reports that {@code step} of {@code total} steps are done and {@code units} work units so far. */
    public void update(int step, long units, Map<String, Double> metrics) {
        long now = System.nanoTime();
        if (fromStep < 0) {
            boolean resumed = step > 1;
            fromStep = resumed ? step : 0;
            fromUnits = resumed ? units : 0;
            fromTime = resumed ? now : start;
        }
        boolean last = step >= total;
        if (!last && now - lastPrint < (interactive ? 200_000_000L : 5_000_000_000L)) return;
        lastPrint = now;
        String line = render(step, units, metrics, (now - fromTime) / 1e9, fromStep, fromUnits);
        if (interactive) out.print("\r" + line + (last ? "\n" : ""));
        else out.println(line);
        out.flush();
    }

    /** The bar's text for a job that started at step 0 and has run {@code elapsedSeconds} (public for tests). */
    public String render(int step, long units, Map<String, Double> metrics, double elapsedSeconds) {
        return render(step, units, metrics, elapsedSeconds, 0, 0);
    }

    /** The same for a job resumed at {@code fromStep} with {@code fromUnits} done, {@code elapsedSeconds} ago. */
    public String render(int step, long units, Map<String, Double> metrics, double elapsedSeconds, int fromStep, long fromUnits) {
        int width = 20, filled = total == 0 ? width : (int) Math.round(width * Math.min(1.0, (double) step / total));
        StringBuilder sb = new StringBuilder(label).append(" [").append("#".repeat(filled)).append("-".repeat(width - filled)).append("] ");
        sb.append(String.format(Locale.ROOT, "%" + String.valueOf(total).length() + "d/%d", step, total));
        metrics.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %s %.4g", k, v)));
        long doneUnits = units - fromUnits;
        int doneSteps = step - fromStep;
        if (elapsedSeconds > 0 && doneUnits > 0) sb.append(String.format(Locale.ROOT, "  %,.0f %s", doneUnits / elapsedSeconds, unit));
        if (doneSteps > 0 && step < total) sb.append("  ETA ").append(duration(elapsedSeconds / doneSteps * (total - step)));
        else if (step >= total) sb.append("  done in ").append(duration(elapsedSeconds));
        return sb.toString();
    }

    /** "1h 02m", "2m 56s", "14s". */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
        if (s >= 60) return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        return s + "s";
    }
}

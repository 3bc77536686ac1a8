package dev.strand.cli;

import dev.strand.genomics.metrics.PairedBootstrap;
import dev.strand.genomics.metrics.TaskScores;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The quickstart's table for one labelled task: transformers fine-tuned from different starts and a
 * k-mer logistic regression, scored on the same test rows, with paired-bootstrap intervals for the
 * two differences the job is about: the best transformer (picked on dev, never on test) against
 * k-mer counting, and fine-tuning from pretraining against the same model from scratch.
 */
final class TaskComparison {
    /** One row: what was trained, its dev and test scores and its test outputs [n, classes]. */
    record Arm(String label, TaskScores dev, TaskScores test, float[] testOutputs) {}

    private final String title;
    private final int[] labels;
    private final int classes;
    private final int resamples;
    private final long seed;

    /**
     * @param title     the task, as the summary names it
     * @param labels    the test rows' classes, in file order
     * @param resamples bootstrap resamples; {@code seed} seeds them
     */
    TaskComparison(String title, int[] labels, int classes, int resamples, long seed) {
        this.title = title;
        this.labels = labels.clone();
        this.classes = classes;
        this.resamples = resamples;
        this.seed = seed;
    }

    /**
     * The summary lines: one per arm, then the two verdicts.
     *
     * @param transformers the fine-tuned arms, in the order shown
     * @param pretrained   the arm whose start was pretrained, compared with {@code scratch}
     */
    List<String> summary(List<Arm> transformers, Arm baseline, Arm pretrained, Arm scratch) {
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "%s, test set of %d: accuracy / F1 / MCC / AUROC (and dev MCC, which picks the best)", title, labels.length));
        List<Arm> all = new ArrayList<>(transformers);
        all.add(baseline);
        int width = all.stream().mapToInt(a -> a.label().length()).max().orElse(0);
        for (Arm a : all) {
            out.add(String.format(Locale.ROOT, "  %-" + width + "s  %.3f / %.3f / %.3f / %.3f   dev %.3f", a.label(), a.test().get("accuracy"), a.test().get("f1"),
                    a.test().get("mcc"), a.test().get("auroc"), a.dev().get("mcc")));
        }
        Arm best = transformers.stream().max(Comparator.comparingDouble(a -> a.dev().get("mcc"))).orElseThrow();
        out.add(verdict("best on dev (" + best.label() + ") against the " + baseline.label(), best, baseline,
                "beats k-mer counting", "is ahead of k-mer counting, but within test-set noise", "does NOT beat k-mer counting"));
        out.add(verdict(pretrained.label() + " against " + scratch.label(), pretrained, scratch,
                "pretraining helps", "pretraining is ahead, but within test-set noise", "pretraining does NOT help here"));
        out.add(String.format(Locale.ROOT, "  (paired bootstrap over the %d test rows, %d resamples)", labels.length, resamples));
        return out;
    }

    /** "  what: +0.050 MCC (95% interval +0.010 to +0.090), +0.030 AUROC (…): verdict". */
    private String verdict(String what, Arm a, Arm b, String ahead, String withinNoise, String behind) {
        var gain = PairedBootstrap.classification(labels, a.testOutputs(), b.testOutputs(), classes, resamples, seed);
        PairedBootstrap.Difference mcc = gain.get("mcc"), auroc = gain.get("auroc");
        String word = mcc.clearlyAhead() ? ahead : mcc.observed() > 0 ? withinNoise : behind;
        return String.format(Locale.ROOT, "  %s: %+.3f MCC (95%% interval %+.3f to %+.3f), %+.3f AUROC (%+.3f to %+.3f): %s",
                what, mcc.observed(), mcc.low(), mcc.high(), auroc.observed(), auroc.low(), auroc.high(), word);
    }
}

package dev.strand.cli;

import dev.strand.nn.train.TrainingListener;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a person watches while a model trains: a progress bar with the loss, rate and ETA on
 * stderr, and each step's loss and learning rate in the run's metrics log ({@code metrics.jsonl}).
 */
final class TrainingProgress implements TrainingListener {
    private final String label, unit;
    private final MetricsLog metrics;
    private ProgressBar bar;

    /** @param unit what the rate counts, e.g. "tok/s" or "seq/s" */
    TrainingProgress(String label, String unit, MetricsLog metrics) {
        this.label = label;
        this.unit = unit;
        this.metrics = metrics;
    }

    @Override
    public void step(StepReport r) {
        if (bar == null) bar = new ProgressBar(label, r.totalSteps(), unit, System.err);
        Map<String, Double> shown = new LinkedHashMap<>();
        shown.put("loss", (double) r.loss());
        bar.update(r.step(), r.examples(), shown);
        metrics.log(r.step(), "train", Map.of("loss", r.loss(), "lr", r.lr()));
    }
}

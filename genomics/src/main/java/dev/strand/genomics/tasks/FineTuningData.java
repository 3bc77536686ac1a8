package dev.strand.genomics.tasks;

import dev.strand.genomics.data.LabelledDataset;
import java.util.ArrayList;
import java.util.List;

/**
 * A labelled task ready for fine-tuning or a baseline: train, dev and test sets of one kind and
 * the names of its classes (index = class id) or regression targets. Every part must have rows;
 * where a source has no dev set, one is cut from train with {@link LabelledDataset#split}.
 */
public record FineTuningData(String name, LabelledDataset train, LabelledDataset dev, LabelledDataset test, List<String> labels) {
    /** Fraction of train rows moved to dev when no dev set is given. */
    public static final double DEFAULT_DEV_FRACTION = 0.1;

    public FineTuningData {
        labels = List.copyOf(labels);
        for (LabelledDataset d : List.of(train, dev, test)) {
            if (d.size() == 0) throw new IllegalArgumentException(name + ": " + d.source() + " has no rows");
            if (d.task() != train.task()) throw new IllegalArgumentException(name + ": " + d.source() + " is " + d.task() + " but train is " + train.task());
        }
        if (train.task() == LabelledDataset.Task.CLASSIFICATION && labels.size() < 2) {
            throw new IllegalArgumentException(name + ": classification needs at least two classes, got " + labels);
        }
    }

    public LabelledDataset.Task task() {
        return train.task();
    }

    /**
     * A task built from annotations: its own dev rows where it has them (then {@code devFraction} and
     * {@code seed} are unused), else {@code devFraction} of train cut off as dev.
     */
    public static FineTuningData of(TaskData task, double devFraction, long seed) {
        if (!task.dev().isEmpty()) return new FineTuningData(task.name(), task.trainDataset(), task.devDataset(), task.testDataset(), task.classNames());
        LabelledDataset.Splits s = task.trainDataset().split(1 - devFraction, devFraction, seed);
        return new FineTuningData(task.name(), s.train(), s.dev(), task.testDataset(), task.classNames());
    }

    /**
     * Split files as read by {@link LabelledDataset#readSplits} or {@link LabelledDataset#readDirectory};
     * an empty dev set is replaced by {@link #DEFAULT_DEV_FRACTION} of train. Classes are named by
     * their ids ("0", "1", …), regression targets by their columns.
     */
    public static FineTuningData of(String name, LabelledDataset.Splits splits, long seed) {
        LabelledDataset train = splits.train(), dev = splits.dev();
        if (dev.size() == 0) {
            LabelledDataset.Splits s = train.split(1 - DEFAULT_DEV_FRACTION, DEFAULT_DEV_FRACTION, seed);
            train = s.train();
            dev = s.dev();
        }
        List<String> labels;
        if (train.task() == LabelledDataset.Task.REGRESSION) {
            labels = train.labelNames();
        } else {
            int classes = Math.max(train.numClasses(), Math.max(dev.numClasses(), splits.test().numClasses()));
            labels = new ArrayList<>();
            for (int k = 0; k < classes; k++) labels.add(Integer.toString(k));
        }
        return new FineTuningData(name, train, dev, splits.test(), labels);
    }
}

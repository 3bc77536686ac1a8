package dev.strand.genomics.train;

import dev.strand.genomics.data.LabelledDataset;
import dev.strand.nn.transformer.SequenceHead;
import java.util.List;
import java.util.Locale;

/**
 * What a fine-tuned model's head predicts, saved as {@code head.json} beside its checkpoint so that
 * {@code strand evaluate} can rebuild and use it.
 *
 * @param task       "classification" or "regression"
 * @param labels     class names (index = class id) for classification, target column names for regression
 * @param pooling    "cls" or "mean"
 * @param normalised pooled vectors are batch-normalised before the output layer (absent in older
 *                   head.json files: false)
 * @param truncation how rows longer than the model's limit are cut: "error", "right", "left" or "center"
 * @param base       the pretrained run the encoder started from, or "scratch"
 */
public record HeadSpec(String task, List<String> labels, String pooling, boolean normalised, String truncation, String base) {
    public HeadSpec {
        labels = List.copyOf(labels);
        taskKind(task);
        poolingKind(pooling);
        truncationKind(truncation);
        if (labels.isEmpty()) throw new IllegalArgumentException("a head needs at least one class or target");
    }

    public static HeadSpec of(LabelledDataset.Task task, List<String> labels, SequenceHead.Pooling pooling, boolean normalised,
                              LabelledDataset.Truncation truncation, String base) {
        return new HeadSpec(lower(task), labels, lower(pooling), normalised, lower(truncation), base);
    }

    /** Width of the head's output: classes or targets. */
    public int outputs() {
        return labels.size();
    }

    public LabelledDataset.Task taskKind() {
        return taskKind(task);
    }

    public SequenceHead.Pooling poolingKind() {
        return poolingKind(pooling);
    }

    public LabelledDataset.Truncation truncationKind() {
        return truncationKind(truncation);
    }

    private static LabelledDataset.Task taskKind(String word) {
        return parse(LabelledDataset.Task.class, word, "task", "classification or regression");
    }

    private static SequenceHead.Pooling poolingKind(String word) {
        return parse(SequenceHead.Pooling.class, word, "pooling", "cls or mean");
    }

    private static LabelledDataset.Truncation truncationKind(String word) {
        return parse(LabelledDataset.Truncation.class, word, "truncation", "error, right, left or center");
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String word, String what, String choices) {
        try {
            return Enum.valueOf(type, word.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown " + what + " '" + word + "': use " + choices);
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}

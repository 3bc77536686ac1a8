package dev.strand.nn.train;

import java.util.Locale;

/**
 * Thrown by {@link TrainingLoop#run} when a step's loss or gradient norm is NaN or infinite. The
 * step's update was not applied and no checkpoint was written after it, so the run directory's
 * {@code latest} still names the last good checkpoint.
 */
public final class TrainingDivergedException extends RuntimeException {
    private final int step;
    private final String quantity;
    private final float value;

    /**
     * @param step      the step (1-based) whose update was withheld
     * @param quantity  what was not finite: "loss" or "gradient norm"
     * @param value     its value
     * @param lr        the learning rate of that step
     * @param lastGood  the last checkpoint written, described for a person, or null if none
     */
    public TrainingDivergedException(int step, String quantity, float value, float lr, String lastGood) {
        super(String.format(Locale.ROOT,
                "training diverged at step %d: the %s is %s, so its update was not applied and no checkpoint was written after %s; "
                        + "try a lower learning rate (this step's was %s) or a smaller gradient clip norm",
                step, quantity, value, lastGood == null ? "the start" : lastGood, lr));
        this.step = step;
        this.quantity = quantity;
        this.value = value;
    }

    /** The step whose update was withheld. */
    public int step() {
        return step;
    }

    /** What was not finite: "loss" or "gradient norm". */
    public String quantity() {
        return quantity;
    }

    /** The non-finite value. */
    public float value() {
        return value;
    }
}

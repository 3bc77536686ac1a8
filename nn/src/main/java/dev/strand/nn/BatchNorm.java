package dev.strand.nn;

import dev.strand.autograd.Variable;
import dev.strand.tensor.Tensor;

/**
 * Batch normalisation of vectors [B, d] without a learned scale or shift (PyTorch's
 * {@code BatchNorm1d(d, affine=False)}, as MAE puts before its linear probe): each feature becomes
 * (x − mean) / sqrt(var + eps). In training the mean and (biased) variance are the batch's, and the
 * running estimates move towards them by {@code momentum} (the variance's unbiased); in evaluation,
 * and for a training batch of one row, the running estimates are used.
 *
 * <p>Why a classifier head wants it: a sequence's mean-pooled vector varies little between
 * sequences next to its common value, so a small update of the encoder that moves every pooled
 * vector the same way would move every logit the same way. Normalising with the batch's own
 * statistics takes that common shift out before the output layer sees it.
 */
public final class BatchNorm extends Module {
    /** Running estimates [d]; saved with the model. */
    public final Tensor runningMean, runningVar;
    public final float eps, momentum;

    public BatchNorm(int dim, float eps, float momentum) {
        if (!(momentum >= 0 && momentum <= 1)) throw new IllegalArgumentException("momentum must be in [0, 1], got " + momentum);
        this.runningMean = buffer("running_mean", Tensor.zeros(dim));
        this.runningVar = buffer("running_var", Tensor.ones(dim));
        this.eps = eps;
        this.momentum = momentum;
    }

    /** eps 1e-5 and momentum 0.1, PyTorch's defaults. */
    public BatchNorm(int dim) {
        this(dim, 1e-5f, 0.1f);
    }

    /** x [B, d] → [B, d]. */
    public Variable forward(Variable x) {
        int rows = x.size(0), dim = x.size(1);
        if (!isTraining() || rows < 2) {
            Tensor scale = runningVar.add(eps).sqrt().view(1, dim);                       // [1, d]
            return x.sub(Variable.constant(runningMean.view(1, dim))).div(Variable.constant(scale));
        }
        Variable mean = x.mean(0, true);                                                  // [1, d]
        Variable var = x.var(0, true, false);                                             // [1, d]
        lastBatch = new Statistics(mean.data().toFloatArray(), var.data().toFloatArray(), rows);
        advance(lastBatch);
        return x.sub(mean).div(var.add(eps).sqrt());                                      // [B, d]
    }

    /**
     * A training batch's statistics: what the running estimates moved towards.
     *
     * @param mean     per feature [d]
     * @param variance per feature, biased [d]
     * @param rows     the batch's rows
     */
    public record Statistics(float[] mean, float[] variance, int rows) implements java.io.Serializable {}

    private Statistics lastBatch;

    /** The statistics of the last training batch normalised, or null; {@link #advance} replays them on another copy. */
    public Statistics lastBatch() {
        return lastBatch;
    }

    /** Moves the running estimates towards a batch's statistics by {@code momentum}, the one update a training batch makes. */
    public void advance(Statistics batch) {
        int dim = runningMean.numel();
        float unbiased = batch.rows() / (batch.rows() - 1f);
        runningMean.copyFrom(runningMean.mul(1 - momentum).add(Tensor.of(batch.mean(), dim).mul(momentum)));
        runningVar.copyFrom(runningVar.mul(1 - momentum).add(Tensor.of(batch.variance(), dim).mul(momentum * unbiased)));
    }

    /** Sets the running estimates, e.g. to statistics measured over a whole dataset. */
    public void setRunning(Tensor mean, Tensor var) {
        runningMean.copyFrom(mean);
        runningVar.copyFrom(var);
    }
}

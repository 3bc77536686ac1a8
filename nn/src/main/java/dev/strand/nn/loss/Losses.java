package dev.strand.nn.loss;

import dev.strand.autograd.Variable;
import dev.strand.tensor.Tensor;

/** Loss functions, each a mean over its elements (PyTorch's reduction="mean"). */
public final class Losses {
    /** The label PyTorch and Hugging Face use for positions that carry no loss. */
    public static final int IGNORE_INDEX = -100;

    private Losses() {}

    /**
     * Cross-entropy of logits [N, C] against INT32 targets [N], averaged over the targets that are
     * not {@code ignoreIndex}. With label smoothing ε the target distribution is (1 − ε) on the
     * label plus ε/C everywhere: loss = (1 − ε)·(−log p_label) + ε·mean_c(−log p_c).
     */
    public static Variable crossEntropy(Variable logits, Tensor targets, int ignoreIndex, float labelSmoothing) {
        if (logits.dim() != 2 || targets.dim() != 1 || targets.size(0) != logits.size(0)) {
            throw new IllegalArgumentException("crossEntropy needs logits [N, C] and targets [N], got "
                    + dev.strand.tensor.Shapes.str(logits.shape()) + " and " + dev.strand.tensor.Shapes.str(targets.shape()));
        }
        int[] t = targets.toIntArray();
        int classes = logits.size(1), n = t.length, counted = 0;
        int[] safe = new int[n];
        float[] keep = new float[n];
        for (int i = 0; i < n; i++) {
            if (t[i] == ignoreIndex) continue;
            if (t[i] < 0 || t[i] >= classes) throw new IllegalArgumentException("target " + t[i] + " at " + i + " is not a class in [0, " + classes + ")");
            safe[i] = t[i];
            keep[i] = 1f;
            counted++;
        }
        Variable logp = logits.logSoftmax(1);                                              // [N, C]
        Variable nll = logp.gather(1, Tensor.ofInts(safe, n, 1)).neg();                    // [N, 1]
        Variable perRow = labelSmoothing == 0f ? nll
                : nll.mul(1f - labelSmoothing).add(logp.mean(1, true).neg().mul(labelSmoothing));
        Variable weights = Variable.constant(Tensor.of(keep, n, 1).div(Math.max(counted, 1)));
        return perRow.mul(weights).sum();                                                  // scalar
    }

    /** Cross-entropy without ignore index or smoothing. */
    public static Variable crossEntropy(Variable logits, Tensor targets) {
        return crossEntropy(logits, targets, IGNORE_INDEX, 0f);
    }

    /**
     * Binary cross-entropy of logits x against targets y ∈ [0, 1], in the stable form
     * max(x, 0) − x·y + log(1 + e^−|x|).
     */
    public static Variable binaryCrossEntropyWithLogits(Variable x, Variable y) {
        Variable softplusNegAbs = x.abs().neg().exp().add(1f).log();
        return x.relu().sub(x.mul(y)).add(softplusNegAbs).mean();
    }

    /** Mean squared error. */
    public static Variable mse(Variable prediction, Variable target) {
        return prediction.sub(target).square().mean();
    }

    /**
     * Poisson negative log-likelihood for a positive rate (not its log), as Enformer trains:
     * mean(pred − y·log(pred + eps)) with eps = 1e-8 (PyTorch's poisson_nll_loss, log_input=false).
     */
    public static Variable poissonNll(Variable prediction, Variable target) {
        return prediction.sub(target.mul(prediction.add(1e-8f).log())).mean();
    }
}

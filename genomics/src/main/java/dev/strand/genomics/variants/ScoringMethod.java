package dev.strand.genomics.variants;

import dev.strand.genomics.train.PretrainedModel.Objective;

/**
 * How a variant's score was computed (SPECS §7): a language model's log-likelihood ratio in nats,
 * alt over ref, or a fine-tuned model's change in prediction, alt minus ref.
 */
public enum ScoringMethod {
    /**
     * Masked marginal (ESM-1v): the reference window with the tokens that the variant changes
     * masked, one pass; score = Σ over those tokens of log p(alt token) − log p(ref token). Single
     * nucleotides and non-overlapping 6-mers change one token per base; overlapping k-mers all k
     * tokens that contain the base.
     */
    MASKED_MARGINAL("masked_marginal"),
    /**
     * Pseudo-log-likelihood difference, for masked models whose token boundaries move (BPE): Σ_i log
     * p(x_i | x_−i), one pass per token, of the alt window minus that of the ref window.
     */
    PSEUDO_LIKELIHOOD("pll_difference"),
    /** Causal models: log P(alt window) − log P(ref window), summed next-token log-probabilities of the DNA tokens. */
    CAUSAL_LIKELIHOOD("causal_llr"),
    /**
     * A fine-tuned model's prediction for the alt window minus that for the ref window: the
     * log-odds of one class (nats), or one predicted target. Indels included.
     */
    PREDICTION_CHANGE("prediction_change");

    /** The name written in score tables. */
    public final String label;

    ScoringMethod(String label) {
        this.label = label;
    }

    /** The method a model of this objective and tokenizer kind scores substitutions with. */
    public static ScoringMethod of(Objective objective, String tokenizerKind) {
        if (objective == Objective.CAUSAL) return CAUSAL_LIKELIHOOD;
        return tokenizerKind.equals("bpe") ? PSEUDO_LIKELIHOOD : MASKED_MARGINAL;
    }

    /** Whether this method scores insertions and deletions (the sequence-level ones do). */
    public boolean scoresIndels() {
        return this != MASKED_MARGINAL;
    }
}

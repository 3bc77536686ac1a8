package dev.strand.nn.transformer;

/** How a transformer knows where each token is. */
public enum Positions {
    /** A learned table of max-length × d vectors added to token embeddings (BERT, DNABERT, GENA-LM). */
    LEARNED,
    /** Fixed sines and cosines added to token embeddings (original Transformer). */
    SINUSOIDAL,
    /** Rotations of queries and keys by position (RoFormer; GENA-LM's sparse models). */
    ROPE,
    /** Distance-proportional biases on attention logits, no embeddings (DNABERT-2). */
    ALIBI;

    /** True when the model has a maximum length (a table of positions). */
    public boolean bounded() {
        return this == LEARNED || this == SINUSOIDAL;
    }
}

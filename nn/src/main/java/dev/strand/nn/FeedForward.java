package dev.strand.nn;

import dev.strand.autograd.Variable;
import dev.strand.tensor.Generator;

/** The transformer's position-wise MLP: Linear(d → hidden) → GELU → Dropout → Linear(hidden → d). */
public final class FeedForward extends Module {
    public final Linear linear1, linear2;
    private final Dropout dropout;

    public FeedForward(int dim, int hidden, float dropout, Generator gen) {
        this.linear1 = child("linear1", new Linear(dim, hidden, true, gen));
        this.linear2 = child("linear2", new Linear(hidden, dim, true, gen));
        this.dropout = child("dropout", new Dropout(dropout, gen));
    }

    /** [B, T, d] → [B, T, d]. */
    public Variable forward(Variable x) {
        return linear2.forward(dropout.forward(linear1.forward(x).gelu()));
    }
}

package dev.strand.nn.attention;

import dev.strand.autograd.Variable;
import dev.strand.nn.Linear;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;

/**
 * What dense and block-sparse multi-head attention share: query, key, value and output
 * projections of width d (the names every checkpoint uses), H heads of hd = d / H, optional
 * rotary positions, and the weights of the last call kept while recording.
 */
public abstract class ProjectedAttention extends SelfAttention {
    public final int dim, heads, headDim;
    public final Linear query, key, value, output;
    /** Rotates queries and keys; null unless the model uses rotary positions. */
    protected final Rope rope;
    private boolean record;
    private Tensor lastAttention;

    protected ProjectedAttention(int dim, int heads, Rope rope, Generator gen) {
        if (dim % heads != 0) throw new IllegalArgumentException("model width " + dim + " is not divisible by " + heads + " heads");
        this.dim = dim;
        this.heads = heads;
        this.headDim = dim / heads;
        this.query = child("query", new Linear(dim, dim, true, gen));
        this.key = child("key", new Linear(dim, dim, true, gen));
        this.value = child("value", new Linear(dim, dim, true, gen));
        this.output = child("output", new Linear(dim, dim, true, gen));
        this.rope = rope;
    }

    @Override
    public void recordAttention(boolean on) {
        record = on;
        if (!on) lastAttention = null;
    }

    @Override
    public Tensor lastAttention() {
        return lastAttention;
    }

    /** Whether this call's weights are wanted. */
    protected boolean recording() {
        return record;
    }

    /** Keeps a call's weights [B, H, T, S] for {@link #lastAttention}. */
    protected void keep(Tensor weights) {
        lastAttention = weights;
    }

    /** [B, T, d] → [B, H, T, hd]: a view, no copy. */
    protected Variable splitHeads(Variable x, int b, int t) {
        return x.view(b, t, heads, headDim).transpose(1, 2);
    }
}

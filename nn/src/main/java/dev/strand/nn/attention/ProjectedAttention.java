package dev.strand.nn.attention;

import dev.strand.autograd.Variable;
import dev.strand.nn.Linear;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;

/**
 * What dense and block-sparse multi-head attention share: query, key, value and output
 * projections of width d (the names every checkpoint uses), H heads of hd = d / H, optional
 * rotary positions, and the weights of the last call kept while recording. A fused model
 * (DNABERT-2's {@code Wqkv}) holds one [3d, d] projection {@code qkv} whose rows are the query's,
 * the key's and the value's in turn, instead of three.
 */
public abstract class ProjectedAttention extends SelfAttention {
    public final int dim, heads, headDim;
    /** The separate projections; null when fused. */
    public final Linear query, key, value;
    /** The fused [3d, d] projection; null unless fused. */
    public final Linear qkv;
    public final Linear output;
    /** Rotates queries and keys; null unless the model uses rotary positions. */
    protected final Rope rope;
    private boolean record;
    private Tensor lastAttention;

    protected ProjectedAttention(int dim, int heads, boolean fused, Rope rope, Generator gen) {
        if (dim % heads != 0) throw new IllegalArgumentException("model width " + dim + " is not divisible by " + heads + " heads");
        this.dim = dim;
        this.heads = heads;
        this.headDim = dim / heads;
        this.qkv = fused ? child("qkv", new Linear(dim, 3 * dim, true, gen)) : null;
        this.query = fused ? null : child("query", new Linear(dim, dim, true, gen));
        this.key = fused ? null : child("key", new Linear(dim, dim, true, gen));
        this.value = fused ? null : child("value", new Linear(dim, dim, true, gen));
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

    /** x [B, T, d] → query, key and value [B, T, d] each, from three projections or the fused one. */
    protected Variable[] project(Variable x) {
        if (qkv == null) return new Variable[] {query.forward(x), key.forward(x), value.forward(x)};
        Variable all = qkv.forward(x);                                          // [B, T, 3d]
        return new Variable[] {all.narrow(-1, 0, dim), all.narrow(-1, dim, dim), all.narrow(-1, 2 * dim, dim)};
    }

    /** [B, T, d] → [B, H, T, hd]: a view, no copy. */
    protected Variable splitHeads(Variable x, int b, int t) {
        return x.view(b, t, heads, headDim).transpose(1, 2);
    }
}

package dev.strand.nn;

import dev.strand.autograd.Indexing;
import dev.strand.autograd.Variable;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;

/** A lookup table of vectors: ids [...] → [..., dim]. */
public final class Embedding extends Module {
    public final int count, dim;
    public final Variable weight;

    /** Weight [count, dim] drawn from N(0, std). */
    public Embedding(int count, int dim, float std, Generator gen) {
        this.count = count;
        this.dim = dim;
        this.weight = parameter("weight", Init.normal(gen, std, count, dim));
    }

    /** Rows for INT32 ids of any shape; an id outside [0, count) is an error naming it. */
    public Variable forward(Tensor ids) {
        return Indexing.embedding(weight, ids);
    }
}

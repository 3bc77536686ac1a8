package dev.strand.nn.transformer;

import dev.strand.autograd.Variable;
import dev.strand.nn.BatchNorm;
import dev.strand.nn.Dropout;
import dev.strand.nn.Linear;
import dev.strand.nn.Module;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;

/**
 * A head that maps a whole sequence to outputs: classes (logits for cross-entropy) or
 * regression targets. The sequence is pooled from the first ([CLS]) token or by the mean over
 * non-padding tokens, and optionally batch-normalised ({@link BatchNorm}, no learned scale) before
 * the output layer.
 */
public final class SequenceHead extends Module {
    /** How hidden states [B, T, d] become one vector [B, d]. */
    public enum Pooling { CLS, MEAN }

    public final Pooling pooling;
    public final Linear output;
    /** Normalises pooled vectors before the output layer, or null. */
    public final BatchNorm norm;
    private final Dropout dropout;

    public SequenceHead(int dim, int outputs, Pooling pooling, boolean normalise, float dropout, Generator gen) {
        this.pooling = pooling;
        this.norm = normalise ? child("norm", new BatchNorm(dim)) : null;
        this.dropout = child("dropout", new Dropout(dropout, gen));
        this.output = child("output", new Linear(dim, outputs, true, gen));
    }

    /** Without normalisation. */
    public SequenceHead(int dim, int outputs, Pooling pooling, float dropout, Generator gen) {
        this(dim, outputs, pooling, false, dropout, gen);
    }

    /** hidden [B, T, d], keyPadding [B, T] (1 = pad, may be null) → [B, outputs]. */
    public Variable forward(Variable hidden, Tensor keyPadding) {
        Variable pooled = pool(hidden, keyPadding);                                      // [B, d]
        if (norm != null) pooled = norm.forward(pooled);                                 // [B, d]
        return output.forward(dropout.forward(pooled));                                  // [B, outputs]
    }

    /** The vector per sequence that the output layer reads: hidden [B, T, d] → [B, d]. */
    public Variable pool(Variable hidden, Tensor keyPadding) {
        if (pooling == Pooling.CLS) return hidden.narrow(1, 0, 1).squeeze(1);            // [B, d]
        return meanPool(hidden, keyPadding);
    }

    /** The mean over non-padding tokens: hidden [B, T, d], keyPadding [B, T] (1 = pad, may be null) → [B, d]. */
    public static Variable meanPool(Variable hidden, Tensor keyPadding) {
        int b = hidden.size(0), t = hidden.size(1);
        Tensor keep = keyPadding == null ? Tensor.ones(b, t) : Tensor.ones(b, t).sub(keyPadding.toFloat());
        Tensor weights = keep.div(keep.sum(1, true)).view(b, t, 1);                      // [B, T, 1]
        return hidden.mul(Variable.constant(weights)).sum(1, false);                     // [B, d]
    }
}

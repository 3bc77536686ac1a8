package dev.strand.nn;

import dev.strand.autograd.Variable;
import dev.strand.tensor.Generator;

/**
 * The transformer's position-wise MLP. Plain (BERT, GPT): Linear(d → h) → GELU → Dropout →
 * Linear(h → d). Gated (Shazeer 2020): Linear(d → 2h) gives a gate and a value half,
 * act(gate) · value → Dropout → Linear(h → d); GEGLU is DNABERT-2's MLP, SwiGLU the Nucleotide
 * Transformer v2's.
 */
public final class FeedForward extends Module {
    /** The MLP's activation; the gated kinds double {@code linear1}'s output. */
    public enum Kind {
        /** GELU (exact, erf) between the two linears. */
        GELU,
        /** GELU by its tanh approximation (Hugging Face's "gelu_new": GPT-2, BigBird). */
        GELU_TANH,
        /** GELU(gate) · value. */
        GEGLU,
        /** SiLU(gate) · value, SiLU(x) = x·σ(x). */
        SWIGLU;

        public boolean gated() {
            return this == GEGLU || this == SWIGLU;
        }
    }

    public final Kind kind;
    public final int hidden;
    public final Linear linear1, linear2;
    private final Dropout dropout;

    /** The plain GELU MLP with biases. */
    public FeedForward(int dim, int hidden, float dropout, Generator gen) {
        this(dim, hidden, Kind.GELU, true, true, dropout, gen);
    }

    /**
     * @param hidden     h, the width the activation sees (linear1 is [2h, d] when gated)
     * @param inputBias  whether linear1 has a bias (DNABERT-2's and NT v2's have none)
     * @param outputBias whether linear2 has a bias
     */
    public FeedForward(int dim, int hidden, Kind kind, boolean inputBias, boolean outputBias, float dropout, Generator gen) {
        this.kind = kind;
        this.hidden = hidden;
        this.linear1 = child("linear1", new Linear(dim, kind.gated() ? 2 * hidden : hidden, inputBias, gen));
        this.linear2 = child("linear2", new Linear(hidden, dim, outputBias, gen));
        this.dropout = child("dropout", new Dropout(dropout, gen));
    }

    /** [B, T, d] → [B, T, d]. */
    public Variable forward(Variable x) {
        Variable h = linear1.forward(x);                                        // [B, T, h] or [B, T, 2h]
        Variable a = switch (kind) {
            case GELU -> h.gelu();                                              // [B, T, h]
            case GELU_TANH -> h.geluTanh();                                     // [B, T, h]
            case GEGLU -> gate(h).gelu().mul(value(h));                         // [B, T, h]
            case SWIGLU -> {
                Variable g = gate(h);                                           // [B, T, h]
                yield g.mul(g.sigmoid()).mul(value(h));                         // [B, T, h]
            }
        };
        return linear2.forward(dropout.forward(a));                             // [B, T, d]
    }

    private Variable gate(Variable h) {
        return h.narrow(-1, 0, hidden);
    }

    private Variable value(Variable h) {
        return h.narrow(-1, hidden, hidden);
    }
}

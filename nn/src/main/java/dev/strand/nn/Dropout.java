package dev.strand.nn;

import dev.strand.autograd.Elementwise;
import dev.strand.autograd.Variable;
import dev.strand.tensor.DropoutMask;
import dev.strand.tensor.Generator;

/**
 * Inverted dropout in training mode, identity in evaluation mode. Masks come from a seeded
 * counter-based generator: reproducible for a given seed on any thread count, and resumable by
 * restoring the generator's state.
 */
public final class Dropout extends Module {
    public final float p;
    private final Generator gen;
    private Generator part;   // while a data-parallel part runs, the one generator all of the model's dropouts draw from

    public Dropout(float p, Generator gen) {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        this.p = p;
        this.gen = gen;
    }

    /** True when forward drops anything: in training mode with p > 0. */
    public boolean active() {
        return isTraining() && p > 0f;
    }

    /**
     * The mask forward would draw for a tensor of {@code count} elements, for a kernel that drops
     * out inside (fused attention); advances the generator as forward does. Null when inactive.
     */
    public DropoutMask nextMask(long count) {
        Generator g = generator();
        return active() ? new DropoutMask(p, g.seed(), g.advance(count)) : null;
    }

    public Variable forward(Variable x) {
        if (!active()) return x;
        Generator g = generator();
        return Elementwise.dropout(x, p, g.seed(), g.advance(x.data().numel()));
    }

    /**
     * Draws the masks from {@code g} until called again with null (then from this module's own
     * generator): a data-parallel part gives every dropout of its model one generator seeded by the
     * part, so that the part's masks are the same on whichever replica computes it.
     */
    public void drawFrom(Generator g) {
        part = g;
    }

    private Generator generator() {
        return part != null ? part : gen;
    }
}

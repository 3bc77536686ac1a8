package dev.strand.nn.transformer;

import dev.strand.autograd.Variable;
import dev.strand.nn.Embedding;
import dev.strand.nn.Module;
import dev.strand.tensor.Generator;

/**
 * What both forms of recurrent memory share ({@link MemoryEncoder}, {@link MemoryDecoder}): the
 * settings, the learned first memory, and the rule for the memory that enters each segment
 * (carried or reset; cut from the graph beyond the BPTT depth).
 */
abstract sealed class SegmentMemory extends Module permits MemoryEncoder, MemoryDecoder {
    public final RecurrentMemory settings;
    /** The memory the first segment reads: [m, d]. */
    public final Embedding memory;
    private final int dim;
    private boolean carry = true;

    SegmentMemory(TransformerConfig config, Generator gen) {
        this.settings = config.memory();
        if (settings == null) throw new IllegalArgumentException("the model's config has no recurrent memory");
        this.dim = config.dim();
        this.memory = child("memory", new Embedding(settings.tokens(), dim, 0.02f, gen));
    }

    /**
     * Carries the memory from segment to segment (the default), or gives every segment the first
     * memory, as if each were read alone: the baseline that shows what the memory carries.
     */
    public final void carryMemory(boolean on) {
        carry = on;
    }

    final boolean carries() {
        return carry;
    }

    /** The first memory for {@code batch} rows, made afresh at each use (no node is shared between segments): [B, m, d]. */
    final Variable first(int batch) {
        return memory.weight.unsqueeze(0).expand(batch, settings.tokens(), dim);
    }

    /**
     * The memory segment {@code index} of {@code segments} reads, given the one the previous
     * segment wrote: the first memory when not carrying, else the same values cut from the graph
     * when the BPTT depth says so (a new leaf that is used, so the cut holds), else {@code state}.
     */
    final Variable entering(Variable state, int index, int segments, int batch) {
        if (!carry) return first(batch);
        return settings.detachBefore(index, segments) ? state.detach() : state;
    }
}

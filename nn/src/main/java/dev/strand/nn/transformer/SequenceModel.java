package dev.strand.nn.transformer;

import dev.strand.autograd.Variable;
import dev.strand.nn.Module;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;

/**
 * A transformer encoder with a {@link SequenceHead} on top: one output vector per sequence, for
 * fine-tuning on classification (logits) or regression (targets). Parameters are named
 * {@code encoder.…} (as in {@link BertModel}, so a pretrained encoder's weights load by name) and
 * {@code head.…}. A config with recurrent memory adds a {@link MemoryEncoder} ({@code memory.…}),
 * and rows of any length are read in segments.
 */
public final class SequenceModel extends Module {
    public final Encoder encoder;
    public final SequenceHead head;
    /** Recurrent memory over segments, or null for a model that reads one window. */
    public final MemoryEncoder memory;

    /** Wraps an encoder (new or pretrained) and a head whose input width is the encoder's {@code dim}. */
    public SequenceModel(Encoder encoder, SequenceHead head) {
        this(encoder, head, new Generator(0));
    }

    /** The same, with the first memory (when the config has recurrent memory) drawn from {@code gen}. */
    public SequenceModel(Encoder encoder, SequenceHead head, Generator gen) {
        if (head.output.inFeatures != encoder.config().dim()) {
            throw new IllegalArgumentException("head takes vectors of " + head.output.inFeatures + " but the encoder gives " + encoder.config().dim());
        }
        this.encoder = child("encoder", encoder);
        this.head = child("head", head);
        this.memory = encoder.config().memory() == null ? null : child("memory", new MemoryEncoder(encoder, gen));
    }

    /** ids [B, T] (INT32), keyPadding [B, T] (1 = pad, may be null) → outputs [B, K]. */
    public Variable forward(Tensor ids, Tensor keyPadding) {
        if (memory != null) return memory.readout(memory.forward(ids, keyPadding, head::forward));   // [B, K]
        Variable hidden = encoder.forward(ids, keyPadding);   // [B, T, d]
        return head.forward(hidden, keyPadding);                           // [B, K]
    }

    /** The pooled vectors the head's output layer reads: ids [B, T] → [B, d]. */
    public Variable pooled(Tensor ids, Tensor keyPadding) {
        if (memory != null) return memory.readout(memory.forward(ids, keyPadding, head::pool));      // [B, d]
        return head.pool(encoder.forward(ids, keyPadding), keyPadding);   // [B, d]
    }
}

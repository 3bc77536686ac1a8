package dev.strand.nn.transformer;

import dev.strand.autograd.Shaping;
import dev.strand.autograd.Variable;
import dev.strand.nn.Embedding;
import dev.strand.nn.Module;
import dev.strand.nn.attention.AttentionMask;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The encoder form of recurrent memory, as GENA-LM fine-tunes it: a row {@code [CLS] x [SEP]} of
 * any length is cut into chunks of {@link RecurrentMemory#encoderChunk} tokens, right-aligned so the
 * last is full, and each chunk is read as {@code [CLS] MEM×m [SEP] chunk [SEP]}. The first
 * segment's memory is {@code m} learned vectors ({@link #memory}, GENA's extra embedding rows); after
 * each segment the last layer's states at the memory positions (1..m) become the next segment's
 * memory, entering through positions and embedding norm as any token does. A row with fewer
 * segments than the longest of its batch skips the early ones and keeps its memory through them.
 */
public final class MemoryEncoder extends Module {
    public final RecurrentMemory settings;
    /** The memory the first segment reads: [m, d]. */
    public final Embedding memory;
    private final Encoder encoder;
    private boolean carry = true;

    /** Memory for {@code encoder}, whose config says how much ({@link TransformerConfig#memory}). */
    public MemoryEncoder(Encoder encoder, Generator gen) {
        this.settings = encoder.config().memory();
        if (settings == null) throw new IllegalArgumentException("the encoder's config has no recurrent memory");
        this.encoder = encoder;
        this.memory = child("memory", new Embedding(settings.tokens(), encoder.config().dim(), 0.02f, gen));
    }

    /**
     * Carries the memory from segment to segment (the default), or gives every segment the first
     * memory, as if each were read alone: the baseline that shows what the memory carries.
     */
    public void carryMemory(boolean on) {
        carry = on;
    }

    /** One segment's reading: {@code value} computed by the caller, {@code present} [B] 1 for rows with tokens in it. */
    public record SegmentOutput(Variable value, Tensor present) {}

    /** What the caller reads from one segment's hidden states [B, S, d] with their key padding [B, S]. */
    @FunctionalInterface
    public interface Reader {
        Variable read(Variable hidden, Tensor keyPadding);
    }

    /**
     * Reads rows {@code [CLS] x [SEP]} (ids [B, T], keyPadding [B, T] with 1 at padding, may be
     * null) segment by segment; {@code reader} turns each segment's last hidden states into what the
     * caller keeps. Gradients reach the memory of the last {@code bptt} segments.
     */
    public List<SegmentOutput> forward(Tensor ids, Tensor keyPadding, Reader reader) {
        Segments segments = Segments.of(ids, keyPadding, settings);
        int b = ids.size(0), m = settings.tokens(), d = encoder.config().dim();
        Variable first = memory.weight.unsqueeze(0).expand(b, m, d);                        // [B, m, d]
        Variable state = first;
        List<SegmentOutput> out = new ArrayList<>(segments.count());
        for (int i = 0; i < segments.count(); i++) {
            if (!carry) state = first;
            else if (settings.detachBefore(i, segments.count())) state = state.detach();   // a new leaf: the cut holds
            Segments.Segment s = segments.segment(i);
            Variable embedded = encoder.embed(s.ids());                                     // [B, S, d]
            int length = embedded.size(1);
            Variable input = Shaping.concat(List.of(embedded.narrow(1, 0, 1), state,        // [CLS] MEM×m
                    embedded.narrow(1, 1 + m, length - 1 - m)), 1);                        // [SEP] chunk [SEP]: [B, S, d]
            Variable hidden = encoder.encode(input, AttentionMask.keyPadding(s.keyPadding()), null);   // [B, S, d]
            Variable written = hidden.narrow(1, 1, m);                                      // [B, m, d]
            state = s.allPresent() ? written : keep(written, state, s.present());
            out.add(new SegmentOutput(reader.read(hidden, s.keyPadding()), s.present()));
        }
        return out;
    }

    /** The new memory where a row had tokens in the segment, the old one where it had none: [B, m, d]. */
    private static Variable keep(Variable written, Variable old, Tensor present) {
        Tensor on = present.toFloat().view(present.size(0), 1, 1);                         // [B, 1, 1]
        return written.mul(Variable.constant(on)).add(old.mul(Variable.constant(Tensor.ones(on.shape()).sub(on))));
    }

    /**
     * The prediction from the segments' outputs [B, K]: the last segment's (every row has tokens in
     * it), or the mean over the segments each row has.
     */
    public Variable readout(List<SegmentOutput> outputs) {
        if (settings.readout() == RecurrentMemory.Readout.LAST) return outputs.getLast().value();
        Variable sum = null;
        Tensor count = null;
        for (SegmentOutput o : outputs) {
            Tensor on = o.present().toFloat().view(o.present().size(0), 1);                 // [B, 1]
            Variable part = o.value().mul(Variable.constant(on));                           // [B, K]
            sum = sum == null ? part : sum.add(part);
            count = count == null ? on : count.add(on);
        }
        return sum.div(Variable.constant(count));                                           // [B, K]
    }
}

package dev.strand.nn.transformer;

import dev.strand.autograd.Shaping;
import dev.strand.autograd.Variable;
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
 * memory, entering through positions (and a post-LN model's embedding norm) as any token does. A row with fewer
 * segments than the longest of its batch skips the early ones and keeps its memory through them.
 */
public final class MemoryEncoder extends SegmentMemory {
    private final Encoder encoder;

    /** Memory for {@code encoder}, whose config says how much ({@link TransformerConfig#memory}). */
    public MemoryEncoder(Encoder encoder, Generator gen) {
        super(encoder.config(), gen);
        this.encoder = encoder;
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
     * null) segment by segment; {@code reader} turns a segment's last hidden states into what the
     * caller keeps: every segment's with the mean readout, the last one's with the last readout.
     * Gradients reach the memory of the last {@code bptt} segments.
     */
    public List<SegmentOutput> forward(Tensor ids, Tensor keyPadding, Reader reader) {
        Segments segments = Segments.of(ids, keyPadding, settings);
        int b = ids.size(0), m = settings.tokens();
        Variable state = first(b);                                                          // [B, m, d]
        List<SegmentOutput> out = new ArrayList<>(segments.count());
        for (int i = 0; i < segments.count(); i++) {
            state = entering(state, i, segments.count(), b);                                // [B, m, d]
            Segments.Segment s = segments.segment(i);
            Variable embedded = encoder.embed(s.ids(), s.keyPadding());                         // [B, S, d]
            int length = embedded.size(1);
            Variable input = Shaping.concat(List.of(embedded.narrow(1, 0, 1), state,        // [CLS] MEM×m
                    embedded.narrow(1, 1 + m, length - 1 - m)), 1);                        // [SEP] chunk [SEP]: [B, S, d]
            Variable hidden = encoder.encode(input, AttentionMask.keyPadding(s.keyPadding()), null);   // [B, S, d]
            Variable written = hidden.narrow(1, 1, m);                                      // [B, m, d]
            state = s.allPresent() ? written : keep(written, state, s.present());
            // The last readout reads only the last segment: reading the others would be wasted work, and
            // would feed their statistics to a batch-normalised head that is only ever shown the last.
            boolean read = settings.readout() == RecurrentMemory.Readout.MEAN || i == segments.count() - 1;
            if (read) out.add(new SegmentOutput(reader.read(hidden, s.keyPadding()), s.present()));
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

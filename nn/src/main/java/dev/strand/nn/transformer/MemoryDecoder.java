package dev.strand.nn.transformer;

import dev.strand.autograd.Shaping;
import dev.strand.autograd.Variable;
import dev.strand.nn.attention.AttentionMask;
import dev.strand.nn.attention.KvCache;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoder form of recurrent memory (Bulatov et al.'s RMT for language models): a token stream
 * is cut into chunks of {@link RecurrentMemory#decoderChunk} tokens from the left, and each chunk is
 * read as {@code [MEM] chunk [MEM]} under the causal mask. The memory at the start is read by every
 * token; the copy at the end sees the whole chunk, and its last-layer states become the next
 * segment's memory. The first memory is {@code m} learned vectors ({@link #memory}). Logits at the
 * memory positions are dropped.
 *
 * <p>Positions: the trunk numbers the segment's inputs 0.., so the read memory sits at 0..m−1, the
 * chunk at m..m+c−1 and the write memory right after the chunk's last token. Rotary positions and
 * ALiBi see the same order: the read memory is the farthest back of every token, the write memory
 * the nearest to the chunk's end.
 */
public final class MemoryDecoder extends SegmentMemory {
    private final Encoder decoder;

    /** Memory for {@code decoder}, whose config says how much ({@link TransformerConfig#memory}). */
    public MemoryDecoder(Encoder decoder, Generator gen) {
        super(decoder.config(), gen);
        this.decoder = decoder;
    }

    /** Segments a stream of {@code length} tokens takes. */
    public int segments(int length) {
        int c = settings.decoderChunk();
        return Math.max(1, (length + c - 1) / c);
    }

    /** What a caller does with each segment as the stream is read. */
    public interface SegmentSink {
        /** Segment {@code index}'s logits [B, c, V] for the tokens from position {@code from}. */
        void segment(int index, int from, Variable logits);

        /**
         * Called when the memory is about to be cut from the graph (truncated BPTT): nothing read
         * so far takes gradients from later segments, so a trainer may backpropagate what it has
         * and let those segments' graphs go, which keeps training memory at {@code bptt} segments.
         */
        default void cut() {}
    }

    /**
     * ids [B, T] → each segment's next-token logits [B, c, V] (the last may be shorter), in order.
     * Gradients reach the memory of the last {@code bptt} segments.
     */
    public List<Variable> logits(Tensor ids) {
        List<Variable> out = new ArrayList<>();
        forward(ids, (index, from, logits) -> out.add(logits));
        return out;
    }

    /** Reads ids [B, T] segment by segment, handing each segment's logits to {@code sink} (see {@link SegmentSink}). */
    public void forward(Tensor ids, SegmentSink sink) {
        int b = ids.size(0), t = ids.size(1), c = settings.decoderChunk(), m = settings.tokens();
        int n = segments(t);
        // Nothing built here is shared between segments (the first memory and the output matrix are
        // made per use), so a backward pass at a cut leaves no half-used node behind.
        Variable state = first(b);
        for (int i = 0; i < n; i++) {
            if (i > 0 && carries() && settings.detachBefore(i, n)) sink.cut();
            state = entering(state, i, n, b);                                               // [B, m, d]
            int from = i * c, length = Math.min(c, t - from);
            boolean last = i == n - 1;
            Variable chunk = decoder.embed(ids.narrow(1, from, length));                   // [B, c, d]
            Variable input = Shaping.concat(last ? List.of(state, chunk) : List.of(state, chunk, state), 1);   // [B, m+c(+m), d]
            Variable hidden = decoder.encode(input, AttentionMask.causal(), null);          // [B, m+c(+m), d]
            sink.segment(i, from, GptModel.vocabularyLogits(decoder, hidden.narrow(1, m, length)));   // [B, c, V]
            if (!last) state = hidden.narrow(1, m + length, m);                            // [B, m, d]
        }
    }

    /**
     * Incremental decoding with KV caches: {@link #feed} takes the next tokens and gives their
     * logits, writing and carrying the memory whenever a chunk fills, exactly as {@link #logits}
     * reads the whole stream. No gradients are kept.
     */
    public Stream stream(int batch) {
        return new Stream(batch);
    }

    /** One decoding stream; see {@link #stream}. */
    public final class Stream {
        private Variable read;              // the memory this segment read: [B, m, d]
        private List<KvCache> caches;
        private int filled;

        private Stream(int batch) {
            start(first(batch));
        }

        private void start(Variable memoryState) {
            read = memoryState;
            caches = decoder.newCaches();
            decoder.encode(read, AttentionMask.causal(), caches);                            // [B, m, d] into the caches
            filled = 0;
        }

        /** ids [B, t] → logits [B, t, V]. */
        public Tensor feed(Tensor ids) {
            int c = settings.decoderChunk(), t = ids.size(1);
            List<Tensor> parts = new ArrayList<>();
            for (int pos = 0; pos < t; ) {
                if (filled == c) {
                    Variable written = decoder.encode(read, AttentionMask.causal(), caches);   // the write slots: [B, m, d]
                    start(carries() ? written : first(ids.size(0)));
                }
                int take = Math.min(c - filled, t - pos);
                Variable hidden = decoder.encode(decoder.embed(ids.narrow(1, pos, take)), AttentionMask.causal(), caches);   // [B, take, d]
                parts.add(GptModel.vocabularyLogits(decoder, hidden).data());                // [B, take, V]
                filled += take;
                pos += take;
            }
            return parts.size() == 1 ? parts.getFirst() : Tensor.concat(parts, 1);
        }
    }
}

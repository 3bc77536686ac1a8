package dev.strand.nn.transformer;

import dev.strand.autograd.GradMode;
import dev.strand.autograd.Shaping;
import dev.strand.autograd.Variable;
import dev.strand.nn.Module;
import dev.strand.nn.attention.AttentionMask;
import dev.strand.nn.attention.KvCache;
import dev.strand.nn.generate.Sampler;
import dev.strand.nn.loss.Losses;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * A GPT-style causal decoder; its LM head is tied to the token embedding. A config with recurrent
 * memory adds a {@link MemoryDecoder} ({@code memory.…}): streams of any length are read in
 * segments, and decoding carries the memory from one segment to the next.
 */
public final class GptModel extends Module {
    public final TransformerConfig config;
    public final Encoder decoder;
    /** Recurrent memory over segments, or null for a model that reads one window. */
    public final MemoryDecoder memory;

    /** A fresh {@link Transformer} of this shape. */
    public GptModel(TransformerConfig config, Generator gen) {
        this(new Transformer(config, gen), gen);
    }

    /** A causal LM on any trunk; its output matrix is the trunk's token embedding. */
    public GptModel(Encoder decoder) {
        this(decoder, new Generator(0));
    }

    /** The same, with the first memory (when the config has recurrent memory) drawn from {@code gen}. */
    public GptModel(Encoder decoder, Generator gen) {
        this.config = decoder.config();
        this.decoder = child("decoder", decoder);
        this.memory = config.memory() == null ? null : child("memory", new MemoryDecoder(decoder, gen));
    }

    /**
     * ids [B, T] → next-token logits [B, T, V]; with caches, ids are the tokens after the cached ones
     * (a model with recurrent memory takes no caches here: {@link #decode} keeps its own).
     */
    public Variable logits(Tensor ids, List<KvCache> caches) {
        if (memory != null) {
            if (caches != null) throw new IllegalArgumentException("a model with recurrent memory decodes through decode(), which carries the memory");
            List<Variable> segments = memory.logits(ids);
            return segments.size() == 1 ? segments.getFirst() : Shaping.concat(segments, 1);   // [B, T, V]
        }
        return vocabularyLogits(decoder, decoder.encode(decoder.embed(ids), AttentionMask.causal(), caches));   // [B, T, V]
    }

    /** hidden [B, T, d] → logits [B, T, V] through the output matrix tied to {@code decoder}'s token embedding. */
    static Variable vocabularyLogits(Encoder decoder, Variable hidden) {
        return hidden.matmul(decoder.tokenEmbedding().weight.transpose(0, 1));             // [B, T, V]
    }

    /** Mean cross-entropy of predicting ids[:, t+1] from ids[:, ≤t]. */
    public Variable lmLoss(Tensor ids) {
        int t = ids.size(1);
        return nextTokenLoss(ids.narrow(1, 0, t - 1), ids.narrow(1, 1, t - 1), false);
    }

    /**
     * Mean cross-entropy of targets [B, T] (ids, {@link Losses#IGNORE_INDEX} where nothing is
     * scored) given inputs [B, T]. With recurrent memory, truncated BPTT and
     * {@code backwardAtCuts}, the loss of the segments before each cut is backpropagated there and
     * their graphs let go, so training holds {@code bptt} segments' graphs, not the whole stream's;
     * the result then carries their value without their graph, and its backward adds the rest.
     */
    public Variable nextTokenLoss(Tensor inputs, Tensor targets, boolean backwardAtCuts) {
        int v = config.vocabSize();
        if (memory == null) return Losses.crossEntropy(logits(inputs, null).reshape(-1, v), targets.contiguous().reshape(-1));
        SegmentLosses losses = new SegmentLosses(targets, v, backwardAtCuts);
        memory.forward(inputs, losses);
        return losses.total();
    }

    /** The cross-entropy of each segment, weighted by its share of the scored targets, summed as they come. */
    private static final class SegmentLosses implements MemoryDecoder.SegmentSink {
        private final Tensor targets;                        // [B, T]
        private final int[] ids;                             // the same, read once, to count what each segment scores
        private final int vocab;
        private final long scored;
        private final boolean backwardAtCuts;
        private Variable pending;                            // the segments since the last cut
        private float done;                                  // the value of those backpropagated at cuts

        SegmentLosses(Tensor targets, int vocab, boolean backwardAtCuts) {
            this.targets = targets;
            this.ids = targets.contiguous().toIntArray();
            this.vocab = vocab;
            this.backwardAtCuts = backwardAtCuts;
            this.scored = scoredIn(0, targets.size(1));
            if (scored == 0) throw new IllegalArgumentException("no scored targets: every target is " + Losses.IGNORE_INDEX);
        }

        /** Targets other than the ignore label in columns [from, from + length) of every row. */
        private long scoredIn(int from, int length) {
            int t = targets.size(1);
            long n = 0;
            for (int r = 0; r < ids.length / t; r++) {
                for (int j = from; j < from + length; j++) if (ids[r * t + j] != Losses.IGNORE_INDEX) n++;
            }
            return n;
        }

        @Override
        public void segment(int index, int from, Variable logits) {
            long n = scoredIn(from, logits.size(1));
            if (n == 0) return;
            Tensor part = targets.narrow(1, from, logits.size(1)).contiguous();                  // [B, c]
            Variable loss = Losses.crossEntropy(logits.reshape(-1, vocab), part.reshape(-1)).mul((float) n / scored);   // scalar
            pending = pending == null ? loss : pending.add(loss);
        }

        @Override
        public void cut() {
            if (!backwardAtCuts || pending == null) return;
            pending.backward();
            done += pending.item();
            pending = null;
        }

        /** The mean over every scored target; its backward covers what no cut has backpropagated. */
        Variable total() {
            // Everything already backpropagated: a leaf that holds the value, whose backward reaches nothing.
            if (pending == null) return Variable.param(Tensor.scalar(done));
            return done == 0f ? pending : pending.add(done);
        }
    }

    /** Picks the next token of every row while decoding. */
    @FunctionalInterface
    public interface NextTokens {
        /** The next id of each row from the last position's logits [B, V], or null to stop. */
        int[] choose(Tensor logits);
    }

    /**
     * The decoding loop: feeds {@code prompt} [B, P], then each row's chosen token, until
     * {@code next} returns null. With {@code useCache} each step feeds only the newest tokens and
     * reuses the keys and values of the earlier ones; without it each step recomputes the whole
     * sequence (the reference the cache must match). No gradients are kept.
     */
    public void decode(Tensor prompt, boolean useCache, NextTokens next) {
        int b = prompt.size(0);
        int[] sequences = prompt.contiguous().toIntArray();                       // [B, length] row-major
        int length = prompt.size(1);
        try (var noGrad = GradMode.off()) {
            List<KvCache> caches = useCache && memory == null ? decoder.newCaches() : null;
            MemoryDecoder.Stream stream = useCache && memory != null ? memory.stream(b) : null;
            Tensor feed = prompt;
            while (true) {
                Tensor logits = stream != null ? stream.feed(feed) : logits(feed, caches).data();   // [B, T, V]
                int[] chosen = next.choose(logits.select(1, logits.size(1) - 1));        // [B, V] → [B]
                if (chosen == null) return;
                if (useCache) {
                    feed = Tensor.ofInts(chosen, b, 1);                                // [B, 1]
                } else {
                    int[] grown = new int[b * (length + 1)];
                    for (int r = 0; r < b; r++) {
                        System.arraycopy(sequences, r * length, grown, r * (length + 1), length);
                        grown[r * (length + 1) + length] = chosen[r];
                    }
                    sequences = grown;
                    feed = Tensor.ofInts(sequences, b, ++length);                      // [B, length]
                }
            }
        }
    }

    /** Continues {@code prompt} by {@code count} tokens drawn by {@code sampler} (see {@link #decode}). */
    public int[] generate(int[] prompt, int count, Sampler sampler, Generator gen, boolean useCache) {
        int[] out = Arrays.copyOf(prompt, prompt.length + count);
        int[] length = {prompt.length};
        if (count == 0) return out;
        decode(Tensor.ofInts(prompt, 1, prompt.length), useCache, logits -> {
            out[length[0]++] = sampler.next(logits.select(0, 0), gen);             // [V] → id
            return length[0] == out.length ? null : new int[] {out[length[0] - 1]};
        });
        return out;
    }
}

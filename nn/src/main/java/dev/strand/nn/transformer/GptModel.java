package dev.strand.nn.transformer;

import dev.strand.autograd.GradMode;
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

/** A GPT-style causal decoder; its LM head is tied to the token embedding. */
public final class GptModel extends Module {
    public final TransformerConfig config;
    public final Encoder decoder;

    /** A fresh {@link Transformer} of this shape. */
    public GptModel(TransformerConfig config, Generator gen) {
        this(new Transformer(config, gen));
    }

    /** A causal LM on any trunk; its output matrix is the trunk's token embedding. */
    public GptModel(Encoder decoder) {
        this.config = decoder.config();
        this.decoder = child("decoder", decoder);
    }

    /** ids [B, T] → next-token logits [B, T, V]; with caches, ids are the tokens after the cached ones. */
    public Variable logits(Tensor ids, List<KvCache> caches) {
        Variable h = decoder.encode(decoder.embed(ids), AttentionMask.causal(), caches);   // [B, T, d]
        return h.matmul(decoder.tokenEmbedding().weight.transpose(0, 1));                  // [B, T, V]
    }

    /** Mean cross-entropy of predicting ids[:, t+1] from ids[:, ≤t]. */
    public Variable lmLoss(Tensor ids) {
        int b = ids.size(0), t = ids.size(1);
        Variable logits = logits(ids.narrow(1, 0, t - 1), null);                // [B, T-1, V]
        Tensor targets = ids.narrow(1, 1, t - 1).contiguous().reshape(b * (t - 1));
        return Losses.crossEntropy(logits.reshape(b * (t - 1), config.vocabSize()), targets);
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
            List<KvCache> caches = useCache ? decoder.newCaches() : null;
            Tensor feed = prompt;
            while (true) {
                Variable logits = logits(feed, caches);                               // [B, T, V]
                int[] chosen = next.choose(logits.data().select(1, logits.size(1) - 1));   // [B, V] → [B]
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

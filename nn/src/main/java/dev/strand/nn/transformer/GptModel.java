package dev.strand.nn.transformer;

import dev.strand.autograd.GradMode;
import dev.strand.autograd.Variable;
import dev.strand.nn.Module;
import dev.strand.nn.attention.KvCache;
import dev.strand.nn.generate.Sampler;
import dev.strand.nn.loss.Losses;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.List;

/** A GPT-style causal decoder; its LM head is tied to the token embedding. */
public final class GptModel extends Module {
    public final TransformerConfig config;
    public final Transformer decoder;

    public GptModel(TransformerConfig config, Generator gen) {
        this.config = config;
        this.decoder = child("decoder", new Transformer(config, gen));
    }

    /** ids [B, T] → next-token logits [B, T, V]; with caches, ids are the tokens after the cached ones. */
    public Variable logits(Tensor ids, List<KvCache> caches) {
        Variable h = decoder.forward(ids, null, true, caches);                   // [B, T, d]
        return h.matmul(decoder.tokens.weight.transpose(0, 1));                 // [B, T, V]
    }

    /** Mean cross-entropy of predicting ids[:, t+1] from ids[:, ≤t]. */
    public Variable lmLoss(Tensor ids) {
        int b = ids.size(0), t = ids.size(1);
        Variable logits = logits(ids.narrow(1, 0, t - 1), null);                // [B, T-1, V]
        Tensor targets = ids.narrow(1, 1, t - 1).contiguous().reshape(b * (t - 1));
        return Losses.crossEntropy(logits.reshape(b * (t - 1), config.vocabSize()), targets);
    }

    /**
     * Continues {@code prompt} by {@code count} tokens. With {@code useCache} each step feeds only
     * the newest token and reuses the keys and values of the earlier ones; without it each step
     * recomputes the whole sequence (the reference the cache must match).
     */
    public int[] generate(int[] prompt, int count, Sampler sampler, Generator gen, boolean useCache) {
        int[] out = java.util.Arrays.copyOf(prompt, prompt.length + count);
        int length = prompt.length;
        try (var s = GradMode.off()) {
            List<KvCache> caches = useCache ? decoder.newCaches() : null;
            Tensor feed = Tensor.ofInts(prompt, 1, prompt.length);
            for (int step = 0; step < count; step++) {
                Variable logits = logits(feed, caches);                          // [1, T, V]
                Tensor last = logits.data().select(1, logits.size(1) - 1).select(0, 0);   // [V]
                int next = sampler.next(last, gen);
                out[length++] = next;
                feed = useCache ? Tensor.ofInts(new int[] {next}, 1, 1)
                        : Tensor.ofInts(java.util.Arrays.copyOf(out, length), 1, length);
            }
        }
        return out;
    }
}

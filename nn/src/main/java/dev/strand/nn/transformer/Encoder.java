package dev.strand.nn.transformer;

import dev.strand.autograd.Variable;
import dev.strand.nn.Embedding;
import dev.strand.nn.Module;
import dev.strand.nn.attention.AttentionMask;
import dev.strand.nn.attention.KvCache;
import dev.strand.tensor.Tensor;
import java.util.List;

/**
 * A transformer trunk as the models and heads on top of it see it ({@link BertModel},
 * {@link GptModel}, {@link SequenceModel}), in two steps so that a caller can put something of its
 * own before a segment (memory tokens, a prefix): {@link #embed} turns token ids into vectors, and
 * {@link #encode} runs any [B, T, d] vectors through positions and blocks. {@link Transformer} is
 * the one every model builds by default.
 */
public abstract class Encoder extends Module {
    /** The model's shape. */
    public abstract TransformerConfig config();

    /** The token embedding [V, d], which tied output layers read too. */
    public abstract Embedding tokenEmbedding();

    /**
     * ids [B, T] (INT32) → token embeddings [B, T, d], no positions yet; {@code keyPadding} [B, T]
     * (1 at padding, may be null) matters only to ESM's token dropout.
     */
    public abstract Variable embed(Tensor ids, Tensor keyPadding);

    /** {@link #embed(Tensor, Tensor)} of unpadded ids. */
    public final Variable embed(Tensor ids) {
        return embed(ids, null);
    }

    /**
     * embeddings [B, T, d] → hidden states [B, T, d]: positions, the blocks, the final norm. With
     * caches (one per layer, from {@link #newCaches}) the embeddings are the positions after the
     * cached ones, and the caches grow by T.
     */
    public abstract Variable encode(Variable embeddings, AttentionMask mask, List<KvCache> caches);

    /**
     * Every hidden state, as Hugging Face's {@code output_hidden_states}: the embeddings' output
     * (positions and dropout applied), then each layer's, the last as {@link #encode} returns it.
     * embeddings [B, T, d] → {@code layers + 1} states [B, T, d].
     */
    public abstract List<Variable> hiddenStates(Variable embeddings, AttentionMask mask);

    /** One empty cache per layer, for incremental decoding. */
    public abstract List<KvCache> newCaches();

    /** Records (or stops recording) the attention weights of every layer. */
    public abstract void recordAttention(boolean on);

    /** Attention weights [B, H, T, S] of each layer from the last forward pass while recording. */
    public abstract List<Tensor> attentionMaps();

    /** ids [B, T] → hidden states [B, T, d], bidirectional; {@code keyPadding} [B, T] is 1 at padding (may be null). */
    public final Variable forward(Tensor ids, Tensor keyPadding) {
        return encode(embed(ids, keyPadding), AttentionMask.keyPadding(keyPadding), null);
    }

    /** {@link #hiddenStates(Variable, AttentionMask)} of token ids, bidirectional. ids [B, T] → {@code layers + 1} states [B, T, d]. */
    public final List<Variable> hiddenStates(Tensor ids, Tensor keyPadding) {
        return hiddenStates(embed(ids, keyPadding), AttentionMask.keyPadding(keyPadding));
    }
}

package dev.strand.nn.transformer;

import dev.strand.nn.attention.AttentionConfig;

/**
 * The size and shape of a transformer; saved as JSON beside a checkpoint's weights. A config
 * written before {@code attention} existed has none and loads as dense attention.
 *
 * @param vocabSize    tokens in the vocabulary
 * @param dim          model width d
 * @param layers       number of blocks
 * @param heads        attention heads (d must divide evenly)
 * @param ffnDim       feed-forward hidden width (usually 4d)
 * @param maxLength    longest sequence, in tokens (bounds LEARNED and SINUSOIDAL positions)
 * @param dropout      dropout on embeddings, attention weights and residual branches
 * @param preNorm      pre-LN blocks (with a final LayerNorm) if true, else post-LN (BERT)
 * @param positions    position scheme
 * @param layerNormEps epsilon of every LayerNorm
 * @param attention    which self-attention the blocks use, with its settings (null: dense)
 * @param memory       recurrent memory across segments of {@code maxLength} tokens, or null for a
 *                     model that reads one window ({@link RecurrentMemory})
 * @param architecture where the layers depart from Strand's defaults to match a published model
 *                     (null: {@link Architecture#standard} for {@code preNorm})
 */
public record TransformerConfig(int vocabSize, int dim, int layers, int heads, int ffnDim, int maxLength,
                                float dropout, boolean preNorm, Positions positions, float layerNormEps,
                                AttentionConfig attention, RecurrentMemory memory, Architecture architecture) {
    public TransformerConfig {
        if (vocabSize <= 0 || dim <= 0 || layers <= 0 || heads <= 0 || ffnDim <= 0 || maxLength <= 0) {
            throw new IllegalArgumentException("transformer sizes must be positive: " + this);
        }
        if (dim % heads != 0) throw new IllegalArgumentException("dim " + dim + " is not divisible by heads " + heads);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        if (attention == null) attention = AttentionConfig.dense();
        if (architecture == null) architecture = Architecture.standard(preNorm);
        if (architecture.tokenDropoutId() >= vocabSize) {
            throw new IllegalArgumentException("token dropout id " + architecture.tokenDropoutId() + " is outside the vocabulary of " + vocabSize);
        }
        if (memory != null && memory.segment() != maxLength) {
            throw new IllegalArgumentException("recurrent memory segments of " + memory.segment() + " tokens need maxLength " + memory.segment() + ", got " + maxLength);
        }
    }

    /** A model of Strand's own architecture. */
    public TransformerConfig(int vocabSize, int dim, int layers, int heads, int ffnDim, int maxLength,
                             float dropout, boolean preNorm, Positions positions, float layerNormEps, AttentionConfig attention,
                             RecurrentMemory memory) {
        this(vocabSize, dim, layers, heads, ffnDim, maxLength, dropout, preNorm, positions, layerNormEps, attention, memory, null);
    }

    /** A model without recurrent memory. */
    public TransformerConfig(int vocabSize, int dim, int layers, int heads, int ffnDim, int maxLength,
                             float dropout, boolean preNorm, Positions positions, float layerNormEps, AttentionConfig attention) {
        this(vocabSize, dim, layers, heads, ffnDim, maxLength, dropout, preNorm, positions, layerNormEps, attention, null, null);
    }

    /** A model with dense attention. */
    public TransformerConfig(int vocabSize, int dim, int layers, int heads, int ffnDim, int maxLength,
                             float dropout, boolean preNorm, Positions positions, float layerNormEps) {
        this(vocabSize, dim, layers, heads, ffnDim, maxLength, dropout, preNorm, positions, layerNormEps, AttentionConfig.dense(), null, null);
    }

    /** A small model: d 256, 4 layers, 4 heads, ffn 1024, learned positions, pre-LN, dropout 0.1. */
    public static TransformerConfig small(int vocabSize, int maxLength) {
        return new TransformerConfig(vocabSize, 256, 4, 4, 1024, maxLength, 0.1f, true, Positions.LEARNED, 1e-5f);
    }

    public TransformerConfig withDropout(float p) {
        return new TransformerConfig(vocabSize, dim, layers, heads, ffnDim, maxLength, p, preNorm, positions, layerNormEps, attention, memory, architecture);
    }

    /** The same shape for sequences of up to {@code tokens} tokens. */
    public TransformerConfig withMaxLength(int tokens) {
        return new TransformerConfig(vocabSize, dim, layers, heads, ffnDim, tokens, dropout, preNorm, positions, layerNormEps, attention, memory == null ? null : new RecurrentMemory(memory.tokens(), tokens, memory.bptt(), memory.readout()), architecture);
    }

    /** The same shape with another kind of attention. */
    public TransformerConfig withAttention(AttentionConfig a) {
        return new TransformerConfig(vocabSize, dim, layers, heads, ffnDim, maxLength, dropout, preNorm, positions, layerNormEps, a, memory, architecture);
    }

    /** The same shape reading inputs of any length in segments with recurrent memory (null: one window); maxLength becomes the segment. */
    public TransformerConfig withMemory(RecurrentMemory m) {
        return new TransformerConfig(vocabSize, dim, layers, heads, ffnDim, m == null ? maxLength : m.segment(), dropout, preNorm, positions, layerNormEps, attention, m, architecture);
    }

    /** The same shape with another architecture. */
    public TransformerConfig withArchitecture(Architecture a) {
        return new TransformerConfig(vocabSize, dim, layers, heads, ffnDim, maxLength, dropout, preNorm, positions, layerNormEps, attention, memory, a);
    }

    /** Whether inputs longer than {@code maxLength} tokens are refused (or cut): bounded positions and no recurrent memory. */
    public boolean limitsInputLength() {
        return memory == null && positions.bounded();
    }
}

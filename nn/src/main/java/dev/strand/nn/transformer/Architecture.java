package dev.strand.nn.transformer;

import dev.strand.nn.FeedForward;
import dev.strand.nn.lora.ModuleNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a model's layers depart from Strand's default transformer, so that published models
 * (BERT, DNABERT-2, ESM and the Nucleotide Transformer, GENA-LM) run as their authors wrote them;
 * saved inside a model's {@code config.json}. {@link #standard} is what every Strand model had
 * before this record existed, and what a config without one loads as.
 *
 * @param embeddingNorm  a LayerNorm on the summed embeddings (BERT and its descendants)
 * @param finalNorm      a LayerNorm after the last block (pre-LN models; GENA-LM's {@code last_layer_ln})
 * @param tokenTypes     rows of BERT's token-type embedding (0: none); every input is type 0, whose row is added
 * @param ffn            the MLP's activation: plain GELU, or gated GEGLU (DNABERT-2) or SwiGLU (NT v2)
 * @param ffnInputBias   whether the MLP's first linear has a bias
 * @param ffnOutputBias  whether the MLP's second linear has a bias
 * @param fusedQkv       one [3d, d] query-key-value projection (DNABERT-2's {@code Wqkv}) instead of three
 * @param tiedOutput     whether the MLM head's output matrix is the token embedding (ESM's is its own)
 * @param tokenDropoutId ESM's token dropout: embeddings of this token (its mask) are zeroed and each
 *                       sequence's scaled by 0.88 / (1 − its share of them), in training and inference
 *                       alike, as ESM-1b and NT v1 were trained; −1 for none
 * @param names          pairs of templates, Strand's parameter name then the model's original one
 *                       ({@link ModuleNames#of}), used for adapter files and exports; empty for
 *                       Hugging Face BERT's names
 * @param rotaryDim      rotary positions turn only the first this many features of each head (GENA-LM's
 *                       sparse models: 32 of 64); 0 for the whole head
 * @param rotaryBase     the rotary base θ; 0 for 10000
 */
public record Architecture(boolean embeddingNorm, boolean finalNorm, int tokenTypes, FeedForward.Kind ffn,
                           boolean ffnInputBias, boolean ffnOutputBias, boolean fusedQkv, boolean tiedOutput,
                           int tokenDropoutId, List<List<String>> names, int rotaryDim, float rotaryBase) {
    /** ESM's token dropout rate times its mask share: the scale is (1 − 0.15·0.8) / (1 − observed share). */
    public static final float TOKEN_DROPOUT_TRAINED_SHARE = 0.15f * 0.8f;

    public Architecture {
        if (tokenTypes < 0) throw new IllegalArgumentException("tokenTypes must be 0 or more, got " + tokenTypes);
        if (ffn == null) ffn = FeedForward.Kind.GELU;
        names = names == null ? List.of() : names.stream().map(List::copyOf).toList();
        if (rotaryDim < 0 || rotaryDim % 2 != 0) throw new IllegalArgumentException("rotaryDim must be an even number of features (0: the whole head), got " + rotaryDim);
        if (rotaryBase < 0) throw new IllegalArgumentException("rotaryBase must be positive (0: 10000), got " + rotaryBase);
        for (List<String> pair : names) {
            if (pair.size() != 2) throw new IllegalArgumentException("architecture names come in pairs (Strand's, the original's), got " + pair);
        }
    }

    /** The blocks as given, every rotary feature turned with base 10000. */
    public Architecture(boolean embeddingNorm, boolean finalNorm, int tokenTypes, FeedForward.Kind ffn, boolean ffnInputBias,
                        boolean ffnOutputBias, boolean fusedQkv, boolean tiedOutput, int tokenDropoutId, List<List<String>> names) {
        this(embeddingNorm, finalNorm, tokenTypes, ffn, ffnInputBias, ffnOutputBias, fusedQkv, tiedOutput, tokenDropoutId, names, 0, 0f);
    }

    /** Strand's own blocks: pre-LN with a final norm, or post-LN with an embedding norm; GELU MLP with biases; tied head. */
    public static Architecture standard(boolean preNorm) {
        return new Architecture(!preNorm, preNorm, 0, FeedForward.Kind.GELU, true, true, false, true, -1, List.of());
    }

    /** The names as a {@link ModuleNames}: Hugging Face BERT's when none are given. */
    public ModuleNames moduleNames() {
        if (names.isEmpty()) return ModuleNames.HUGGING_FACE_BERT;
        List<String> flat = new ArrayList<>();
        for (List<String> pair : names) flat.addAll(pair);
        return ModuleNames.of(flat.toArray(String[]::new));
    }

    /** This architecture with other names. */
    public Architecture withNames(List<List<String>> pairs) {
        return new Architecture(embeddingNorm, finalNorm, tokenTypes, ffn, ffnInputBias, ffnOutputBias, fusedQkv, tiedOutput, tokenDropoutId, pairs,
                rotaryDim, rotaryBase);
    }

    /** This architecture with rotary positions on the first {@code dim} features of each head (0: all), of base {@code base} (0: 10000). */
    public Architecture withRotary(int dim, float base) {
        return new Architecture(embeddingNorm, finalNorm, tokenTypes, ffn, ffnInputBias, ffnOutputBias, fusedQkv, tiedOutput, tokenDropoutId, names,
                dim, base);
    }

    /** The rotary positions of a head of {@code headDim} features under this architecture. */
    public dev.strand.nn.attention.Rope rope(int headDim) {
        return new dev.strand.nn.attention.Rope(headDim, rotaryBase == 0 ? 10000f : rotaryBase, rotaryDim == 0 ? headDim : rotaryDim);
    }
}

package dev.strand.nn.transformer;

import dev.strand.autograd.Variable;
import dev.strand.nn.Dropout;
import dev.strand.nn.Embedding;
import dev.strand.nn.LayerNorm;
import dev.strand.nn.ModuleList;
import dev.strand.nn.attention.Alibi;
import dev.strand.nn.attention.AttentionMask;
import dev.strand.nn.attention.KvCache;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The trunk shared by encoders and decoders: token embeddings, positions, a stack of
 * {@link TransformerBlock}s, and a final LayerNorm for pre-LN models (post-LN models normalise the
 * embeddings instead, as BERT). Encoders pass a key-padding mask; decoders a causal one, and may
 * pass KV caches. The config's {@link Architecture} may ask for both norms (GENA-LM), token-type
 * embeddings (BERT) and ESM's token dropout.
 *
 * <p>Parameter names: a model with one norm outside its blocks calls it {@code norm}, whichever
 * end it sits at (so every checkpoint made before {@link Architecture} loads); a model with both
 * calls the embeddings' {@code embedding_norm}.
 */
public final class Transformer extends Encoder {
    public final TransformerConfig config;
    public final Embedding tokens;
    public final Embedding positions;          // LEARNED only
    public final ModuleList<TransformerBlock> layers;
    public final Embedding tokenTypes;         // BERT's token types (row 0 used) or null
    public final LayerNorm embeddingNorm;      // null without one
    public final LayerNorm finalNorm;          // null without one
    private final Dropout dropout;
    private final Tensor sinusoids;            // SINUSOIDAL only: [maxLength, d]

    public Transformer(TransformerConfig c, Generator gen) {
        this.config = c;
        this.tokens = child("tokens", new Embedding(c.vocabSize(), c.dim(), 0.02f, gen));
        Architecture a = c.architecture();
        this.positions = c.positions() == Positions.LEARNED ? child("positions", new Embedding(c.maxLength(), c.dim(), 0.02f, gen)) : null;
        this.tokenTypes = a.tokenTypes() > 0 ? child("token_types", new Embedding(a.tokenTypes(), c.dim(), 0.02f, gen)) : null;
        this.embeddingNorm = a.embeddingNorm() ? child(a.finalNorm() ? "embedding_norm" : "norm", new LayerNorm(c.dim(), c.layerNormEps())) : null;
        this.sinusoids = c.positions() == Positions.SINUSOIDAL ? sinusoidTable(c.maxLength(), c.dim()) : null;
        this.dropout = child("dropout", new Dropout(c.dropout(), gen));
        this.layers = child("layers", new ModuleList<>());
        for (int i = 0; i < c.layers(); i++) layers.add(new TransformerBlock(c, i, gen));
        this.finalNorm = a.finalNorm() ? child("norm", new LayerNorm(c.dim(), c.layerNormEps())) : null;
    }

    /** PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(…). */
    static Tensor sinusoidTable(int length, int dim) {
        float[] t = new float[length * dim];
        for (int pos = 0; pos < length; pos++) {
            for (int i = 0; i < dim; i += 2) {
                double angle = pos / Math.pow(10000, (double) i / dim);
                t[pos * dim + i] = (float) Math.sin(angle);
                if (i + 1 < dim) t[pos * dim + i + 1] = (float) Math.cos(angle);
            }
        }
        return Tensor.of(t, length, dim);
    }

    @Override
    public TransformerConfig config() {
        return config;
    }

    @Override
    public Embedding tokenEmbedding() {
        return tokens;
    }

    @Override
    public Variable embed(Tensor ids, Tensor keyPadding) {
        if (ids.dim() != 2) throw new IllegalArgumentException("token ids must be [batch, length], got " + ids);
        Variable x = tokens.forward(ids);                                                    // [B, T, d]
        int masked = config.architecture().tokenDropoutId();
        if (masked >= 0) x = x.mul(Variable.constant(tokenDropoutScale(ids, keyPadding, masked)));   // [B, T, d]
        return x;
    }

    /**
     * ESM's token dropout as a factor [B, T, 1]: 0 at the mask token, elsewhere
     * (1 − 0.12) / (1 − the sequence's share of mask tokens among its unpadded ones).
     */
    static Tensor tokenDropoutScale(Tensor ids, Tensor keyPadding, int maskId) {
        int b = ids.size(0), t = ids.size(1);
        int[] id = ids.toIntArray();
        float[] pad = keyPadding == null ? new float[b * t] : keyPadding.toFloatArray();
        float[] scale = new float[b * t];
        for (int i = 0; i < b; i++) {
            int tokens = 0, masks = 0;
            for (int j = 0; j < t; j++) {
                if (pad[i * t + j] != 0) continue;
                tokens++;
                if (id[i * t + j] == maskId) masks++;
            }
            float s = tokens == 0 ? 1f : (1 - Architecture.TOKEN_DROPOUT_TRAINED_SHARE) / (1 - (float) masks / tokens);
            for (int j = 0; j < t; j++) scale[i * t + j] = id[i * t + j] == maskId ? 0f : s;
        }
        return Tensor.of(scale, b, t, 1);
    }

    @Override
    public Variable encode(Variable embeddings, AttentionMask mask, List<KvCache> caches) {
        return run(embeddings, mask, caches, null);
    }

    @Override
    public List<Variable> hiddenStates(Variable embeddings, AttentionMask mask) {
        List<Variable> states = new ArrayList<>();
        run(embeddings, mask, null, states);
        return states;
    }

    /** The pass itself; adds each hidden state to {@code states} when it is not null. */
    private Variable run(Variable x, AttentionMask mask, List<KvCache> caches, List<Variable> states) {
        if (x.dim() != 3 || x.size(2) != config.dim()) {
            throw new IllegalArgumentException("embeddings must be [batch, length, " + config.dim() + "], got " + java.util.Arrays.toString(x.shape()));
        }
        int t = x.size(1), past = caches == null ? 0 : caches.get(0).length();
        if (config.positions().bounded() && past + t > config.maxLength()) {
            throw new IllegalArgumentException("a sequence of " + (past + t) + " tokens is longer than this model's maximum of "
                    + config.maxLength() + "; cut it into windows of at most " + config.maxLength() + " tokens");
        }
        if (positions != null) x = x.add(positions.forward(positionIds(past, t)));           // [B, T, d]
        if (sinusoids != null) x = x.add(Variable.constant(sinusoids.narrow(0, past, t)));   // [B, T, d]
        if (tokenTypes != null) x = x.add(tokenTypes.weight.narrow(0, 0, 1));                 // [B, T, d] every token type 0
        if (embeddingNorm != null) x = embeddingNorm.forward(x);                             // [B, T, d]
        x = dropout.forward(x);                                                              // [B, T, d]
        mask = mask.afterCached(past);
        if (config.positions() == Positions.ALIBI) mask = mask.withAlibi(Alibi.slopes(config.heads()));
        if (states != null) states.add(x);
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(x, mask, caches == null ? null : caches.get(i));       // [B, T, d]
            if (states != null && i < layers.size() - 1) states.add(x);
        }
        Variable out = finalNorm != null ? finalNorm.forward(x) : x;                         // [B, T, d]
        if (states != null) states.add(out);
        return out;
    }

    private static Tensor positionIds(int from, int count) {
        int[] p = new int[count];
        for (int i = 0; i < count; i++) p[i] = from + i;
        return Tensor.ofInts(p, count);
    }

    @Override
    public List<KvCache> newCaches() {
        List<KvCache> c = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) c.add(new KvCache());
        return c;
    }

    @Override
    public void recordAttention(boolean on) {
        for (TransformerBlock l : layers.items()) l.attention.recordAttention(on);
    }

    @Override
    public List<Tensor> attentionMaps() {
        return layers.items().stream().map(l -> l.attention.lastAttention()).toList();
    }
}

package dev.strand.genomics.attention;

import dev.strand.autograd.GradMode;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.transformer.Encoder;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The softmax attention weights of every layer and head of a masked language model for one
 * sequence: L layers, H heads, T tokens (the model input, [CLS] first). Row i of a map is query
 * token i, column j key token j; every row sums to 1.
 */
public final class AttentionMaps {
    /** Letters a sequence may hold (either case): the four bases and N. */
    public static final String ALLOWED = "ACGTN";

    private final TokenSpans spans;
    private final List<String> tokens;
    private final int heads;
    private final List<float[]> weights;   // per layer, [H, T, T] row-major

    private AttentionMaps(TokenSpans spans, List<String> tokens, int heads, List<float[]> weights) {
        this.spans = spans;
        this.tokens = tokens;
        this.heads = heads;
        this.weights = weights;
    }

    /**
     * Runs {@code model} (switched to evaluation mode) on {@code sequence} and records its attention.
     *
     * @throws IllegalArgumentException if the sequence holds anything but A, C, G, T, N or is
     *                                  longer than the model's maximum length in tokens
     */
    public static AttentionMaps compute(Encoder encoder, Tokenizer tokenizer, String name, String sequence) {
        check(name, sequence);
        TokenSpans spans = requireFits(tokenizer, encoder.config(), name, sequence);
        int[] ids = spans.ids();
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) tokens.add(tokenizer.token(id));
        List<float[]> weights = new ArrayList<>();
        boolean training = encoder.isTraining();
        encoder.eval();
        encoder.recordAttention(true);
        try (var noGrad = GradMode.off()) {
            encoder.forward(Tensor.ofInts(ids, 1, ids.length), null);
            for (Tensor layer : encoder.attentionMaps()) weights.add(layer.toFloatArray());   // [1, H, T, T]
        } finally {
            encoder.recordAttention(false);
            encoder.train(training);
        }
        return new AttentionMaps(spans, List.copyOf(tokens), encoder.config().heads(), List.copyOf(weights));
    }

    /**
     * The tokens of {@code sequence}; an error if a model with learned or sinusoidal positions
     * cannot take that many, if a model with recurrent memory would need more than one segment, or
     * if no DNA token follows [CLS].
     */
    public static TokenSpans requireFits(Tokenizer tokenizer, TransformerConfig config, String name, String sequence) {
        TokenSpans spans = TokenSpans.of(tokenizer, sequence);
        int maxTokens = config.maxLength();
        // Learned and sinusoidal tables end at maxLength; RoPE and ALiBi run on any length.
        if (config.positions().bounded() && spans.length() > maxTokens) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s is %d bases, %d tokens with specials, but this model takes at most %d tokens; cut it into shorter pieces",
                    name, sequence.length(), spans.length(), maxTokens));
        }
        // A model with recurrent memory reads long inputs a segment at a time; the maps are of its
        // transformer on one window that fits a segment, without the memory.
        if (config.memory() != null && spans.length() > maxTokens) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s is %d tokens with specials, but this model reads segments of %d (recurrent memory, %s) and its attention maps "
                            + "are of its transformer on one window, without the memory; pass at most %d tokens", name, spans.length(), maxTokens, config.memory().describe(), maxTokens));
        }
        if (spans.first() != 1 || spans.count() == 0) {
            throw new IllegalArgumentException(name + " gives no DNA tokens after [CLS] with the " + tokenizer.kind() + " tokenizer; is it shorter than a token?");
        }
        return spans;
    }

    /** Rejects sequences a motif analysis cannot read: empty, or holding anything but A, C, G, T, N. */
    public static void check(String name, String sequence) {
        if (sequence.isEmpty()) throw new IllegalArgumentException(name + " is empty");
        for (int i = 0; i < sequence.length(); i++) {
            char c = Character.toUpperCase(sequence.charAt(i));
            if (ALLOWED.indexOf(c) < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s has '%c' at base %d; only A, C, G, T and N are allowed", name, sequence.charAt(i), i + 1));
            }
        }
    }

    /** Number of layers L. */
    public int layers() {
        return weights.size();
    }

    /** Number of heads H per layer. */
    public int heads() {
        return heads;
    }

    /** Number of tokens T, specials included. */
    public int length() {
        return tokens.size();
    }

    /** The token texts, [CLS] first. */
    public List<String> tokens() {
        return tokens;
    }

    /** Which bases each DNA token covers. */
    public TokenSpans spans() {
        return spans;
    }

    /** The map of one layer and head: [T][T], queries down, keys across. */
    public float[][] map(int layer, int head) {
        float[] w = weights.get(layer);
        int t = length();
        float[][] out = new float[t][t];
        for (int i = 0; i < t; i++) System.arraycopy(w, (head * t + i) * t, out[i], 0, t);
        return out;
    }

    /** Attention from [CLS] (query 0) to every token in one layer, summed over heads: [T]. */
    public float[] fromCls(int layer) {
        float[] w = weights.get(layer);
        int t = length();
        float[] out = new float[t];
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < t; j++) out[j] += w[h * t * t + j];   // row 0 of head h
        }
        return out;
    }
}

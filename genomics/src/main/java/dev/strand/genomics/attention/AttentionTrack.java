package dev.strand.genomics.attention;

import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.transformer.Encoder;

/**
 * The per-base attention score of a sequence, as DNABERT-viz computes it: one layer's attention
 * from [CLS] to every DNA token, summed over heads; each base gets the mean of the tokens that
 * cover it (the k overlapping k-mers, the one 6-mer or BPE token holding it, or its own
 * nucleotide token); the vector is then divided by its Euclidean norm.
 *
 * @param sequence    the bases, as given
 * @param tokenScores attention from [CLS] to each DNA token, summed over heads: [tokens]
 * @param scores      the normalised per-base scores: [sequence length], Euclidean norm 1 (all 0 if
 *                    [CLS] attends only to specials)
 */
public record AttentionTrack(String sequence, float[] tokenScores, float[] scores) {
    /** The track of one layer ({@code layer} 0-based; −1 for the last, as DNABERT-viz uses). */
    public static AttentionTrack of(AttentionMaps maps, String sequence, int layer) {
        int l = layer < 0 ? maps.layers() + layer : layer;
        if (l < 0 || l >= maps.layers()) throw new IllegalArgumentException("layer " + layer + " does not exist: the model has " + maps.layers());
        TokenSpans spans = maps.spans();
        float[] fromCls = maps.fromCls(l);
        float[] tokenScores = new float[spans.count()];
        System.arraycopy(fromCls, spans.first(), tokenScores, 0, tokenScores.length);
        return new AttentionTrack(sequence, tokenScores, normalise(perBase(tokenScores, spans, sequence.length())));
    }

    /** Runs the model on one sequence and returns its last-layer track. */
    public static AttentionTrack compute(Encoder encoder, Tokenizer tokenizer, String name, String sequence) {
        return of(AttentionMaps.compute(encoder, tokenizer, name, sequence), sequence, -1);
    }

    /**
     * Per-base mean of the scores of the tokens covering each base: [length]; a base no token
     * covers scores 0.
     */
    public static float[] perBase(float[] tokenScores, TokenSpans spans, int length) {
        if (tokenScores.length != spans.count()) {
            throw new IllegalArgumentException(tokenScores.length + " token scores for " + spans.count() + " tokens");
        }
        double[] sum = new double[length];
        int[] count = new int[length];
        for (int j = 0; j < tokenScores.length; j++) {
            for (int b = spans.start(j); b < Math.min(length, spans.end(j)); b++) {
                sum[b] += tokenScores[j];
                count[b]++;
            }
        }
        float[] out = new float[length];
        for (int b = 0; b < length; b++) out[b] = count[b] == 0 ? 0f : (float) (sum[b] / count[b]);
        return out;
    }

    /** {@code v} divided by its Euclidean norm (a zero vector stays zero). */
    public static float[] normalise(float[] v) {
        double squares = 0;
        for (float x : v) squares += (double) x * x;
        double norm = Math.sqrt(squares);
        float[] out = new float[v.length];
        if (norm > 0) for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] / norm);
        return out;
    }
}

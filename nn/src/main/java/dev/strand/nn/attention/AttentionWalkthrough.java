package dev.strand.nn.attention;

import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One attention head, step by step, on a tiny example a student can follow by hand: the same
 * arithmetic as {@link MultiHeadAttention} for one head without biases or masks, with every
 * intermediate matrix kept and explained.
 */
public final class AttentionWalkthrough {
    /** One step: what it is, one line of why, and its matrix with row and column labels. */
    public record Step(String title, String explanation, Tensor value, List<String> rows, List<String> columns) {}

    private AttentionWalkthrough() {}

    /**
     * The default example: two tokens "A" and "C" with 4-dimensional embeddings and small integer
     * weights, chosen so the first query's scaled scores are [14, 12] and its weights
     * softmax([14, 12]) = [0.881, 0.119].
     */
    public static List<Step> example() {
        Tensor x = Tensor.of(new float[] {1, 1, 1, 1, 0, 2, 2, 0}, 2, 4);
        Tensor wq = Tensor.of(new float[] {2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2}, 4, 4);
        Tensor wk = Tensor.of(new float[] {4, 0, 0, 0, 0, 3, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4}, 4, 4);
        Tensor wv = Tensor.of(new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, 4, 4);
        return walk(x, wq, wk, wv, List.of("A", "C"));
    }

    /**
     * Walks x [T, d] through one head with projections wq, wk, wv [d, dk] (x·W, as written in the
     * paper). Returns the steps in order: embeddings, Q, K, V, raw scores, scaled scores, weights,
     * output.
     */
    public static List<Step> walk(Tensor x, Tensor wq, Tensor wk, Tensor wv, List<String> tokens) {
        if (x.dim() != 2 || tokens.size() != x.size(0)) {
            throw new IllegalArgumentException("need embeddings [T, d] and T token labels, got " + x + " and " + tokens.size() + " labels");
        }
        int dk = wq.size(1);
        List<String> dims = new ArrayList<>(), keyDims = new ArrayList<>();
        for (int i = 0; i < x.size(1); i++) dims.add("d" + i);
        for (int i = 0; i < dk; i++) keyDims.add("k" + i);
        List<String> keys = tokens.stream().map(t -> "key " + t).toList();
        List<Step> steps = new ArrayList<>();
        Tensor q = x.matmul(wq), k = x.matmul(wk), v = x.matmul(wv);                       // [T, dk]
        Tensor raw = q.matmul(k.t());                                                      // [T, T]
        float scale = (float) (1.0 / Math.sqrt(dk));
        Tensor scaled = raw.mul(scale);                                                    // [T, T]
        Tensor weights = scaled.softmax(-1);                                               // [T, T]
        Tensor out = weights.matmul(v);                                                    // [T, dk]
        steps.add(new Step("Embeddings x", "Each token is a vector: one row per token.", x, tokens, dims));
        steps.add(new Step("Queries Q = x·Wq", "What each token is looking for.", q, tokens, keyDims));
        steps.add(new Step("Keys K = x·Wk", "What each token offers to be found by.", k, tokens, keyDims));
        steps.add(new Step("Values V = x·Wv", "What each token passes on when attended to.", v, tokens, keyDims));
        steps.add(new Step("Scores Q·Kᵀ", "Row i, column j: how well query i matches key j (a dot product).", raw, tokens, keys));
        steps.add(new Step(String.format("Scaled scores Q·Kᵀ/√%d", dk),
                String.format("Divide by √dk = %.3g so scores do not grow with the dimension.", Math.sqrt(dk)), scaled, tokens, keys));
        steps.add(new Step("Weights softmax(scores)", "Each row is exponentiated and normalised to sum to 1: "
                + softmaxExample(scaled) + ".", weights, tokens, keys));
        steps.add(new Step("Output weights·V", "Each token's output is the weighted average of the values.", out, tokens, keyDims));
        return steps;
    }

    /** "softmax([14, 12]) = [0.881, 0.119]" for the first row. */
    private static String softmaxExample(Tensor scaled) {
        float[] row = scaled.select(0, 0).toFloatArray(), w = scaled.select(0, 0).softmax(0).toFloatArray();
        StringBuilder a = new StringBuilder(), b = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            a.append(i == 0 ? "" : ", ").append(MatrixFormat.number(row[i]));
            b.append(i == 0 ? "" : ", ").append(String.format("%.3f", w[i]));
        }
        return "softmax([" + a + "]) = [" + b + "]";
    }
}

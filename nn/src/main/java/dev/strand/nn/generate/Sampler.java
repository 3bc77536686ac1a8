package dev.strand.nn.generate;

import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Arrays;

/**
 * Picks the next token from logits: greedy (temperature 0), or sampling at a temperature,
 * restricted to the top k tokens and/or the smallest set whose probability reaches top-p
 * (nucleus). Seeded through a {@link Generator}.
 */
public record Sampler(float temperature, int topK, float topP) {
    /** Always the most likely token. */
    public static final Sampler GREEDY = new Sampler(0f, 0, 1f);

    public Sampler {
        if (!(temperature >= 0 && Float.isFinite(temperature)))   // NaN fails both
            throw new IllegalArgumentException("temperature must be a finite number >= 0 (0 picks the most likely token), got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0 (0 keeps every token), got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
    }

    /** The next token for logits [V]. */
    public int next(Tensor logits, Generator gen) {
        float[] l = logits.toFloatArray();
        int best = 0;
        for (int i = 1; i < l.length; i++) if (l[i] > l[best]) best = i;
        if (temperature == 0f) return best;
        Integer[] order = new Integer[l.length];
        for (int i = 0; i < l.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(l[b], l[a]));
        int keep = topK > 0 ? Math.min(topK, l.length) : l.length;
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            p[i] = Math.exp((l[order[i]] - l[best]) / temperature);
            sum += p[i];
        }
        // nucleus: the smallest prefix (by probability) whose mass reaches topP
        double mass = 0;
        int nucleus = keep;
        for (int i = 0; i < keep; i++) {
            mass += p[i] / sum;
            if (mass >= topP) {
                nucleus = i + 1;
                break;
            }
        }
        double total = 0;
        for (int i = 0; i < nucleus; i++) total += p[i];
        double u = gen.nextFloat() * total;
        for (int i = 0; i < nucleus; i++) {
            u -= p[i];
            if (u < 0) return order[i];
        }
        return order[nucleus - 1];
    }
}

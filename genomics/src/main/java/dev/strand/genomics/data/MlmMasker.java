package dev.strand.genomics.data;

import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.tensor.DType;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Arrays;

/**
 * Masked-language-model corruption of token batches (SPECS §2).
 *
 * <p><b>Token masking</b> (BERT, {@link #bert}): every position that is neither a special token
 * ({@link Tokenizer#isSpecial}) nor padding ({@link Tokenizer#pad}) is chosen independently with
 * probability {@code maskProbability} (0.15). Of the chosen, 80 % become [MASK], 10 % a random
 * non-special token (uniform over the vocabulary's non-special ids) and 10 % stay unchanged.
 * Labels hold the original id at chosen positions and {@link #IGNORE} (−100) elsewhere.
 *
 * <p><b>Span masking</b> (DNABERT, {@link #dnabertSpan}), for overlapping k-mers where a token's
 * neighbours share k−1 of its bases: span centres are drawn among maskable positions with
 * probability p, and each centre masks the tokens at offsets −⌊(k−1)/2⌋ … +⌈(k−1)/2⌉ (k = 6: −2 …
 * +3, six tokens), dropping offsets that fall outside the row's maskable positions. The 80/10/10
 * rule then applies to every masked token. An interior token escapes masking only when none of
 * the k centres that would cover it is drawn, so the masked fraction is 1 − (1 − p)^k; we choose
 * {@code p = 1 − 0.85^(1/k)} ({@link #spanCentreProbability}) so that about 15 % of tokens are
 * masked: p = 0.0267 for k = 6 (DNABERT's own 0.025 gives 14.1 %). Tokens within ⌈(k−1)/2⌉ of a row
 * end have fewer covering centres, so short rows come out slightly below 15 %.
 *
 * <p><b>Randomness</b>: one call reserves {@code 3·B·T} consecutive counter values of the
 * {@link Generator} (plus one when the fallback below fires); position (b, t) uses the three
 * values at {@code 3·(b·T + t)} (choice, action, random token), so results depend only on the seed
 * and the generator's counter, and restoring {@link Generator#state} replays a call exactly.
 *
 * <p><b>Empty batches</b>: if a whole batch has maskable positions but none was chosen (short rows),
 * one maskable position, picked uniformly with one extra draw, is chosen so the loss over chosen
 * positions is defined.
 */
public final class MlmMasker {
    /** Label of positions that are not predicted (PyTorch's ignore_index). */
    public static final int IGNORE = -100;

    /** The masking scheme. */
    public enum Mode {
        /** BERT: each maskable position independently. */
        TOKEN,
        /** DNABERT: spans of k tokens around independently drawn centres. */
        SPAN
    }

    /** Masked input ids and labels as int arrays [B][T]. */
    public record Masked(int[][] inputIds, int[][] labels) {}

    /** Masked input ids and labels as INT32 tensors [B, T]. */
    public record MaskedTensors(Tensor inputIds, Tensor labels) {}

    private final Tokenizer tokenizer;
    private final Mode mode;
    private final double probability;
    private final double maskFraction;
    private final double randomFraction;
    private final int spanBefore;
    private final int spanAfter;
    private final int[] nonSpecial;

    private MlmMasker(Tokenizer tokenizer, Mode mode, double probability, double maskFraction, double randomFraction, int k) {
        if (!(probability > 0 && probability <= 1)) throw new IllegalArgumentException("masking probability must be in (0, 1], got " + probability);
        if (maskFraction < 0 || randomFraction < 0 || maskFraction + randomFraction > 1) {
            throw new IllegalArgumentException("mask fraction " + maskFraction + " and random fraction " + randomFraction
                    + " must be non-negative and sum to at most 1");
        }
        this.tokenizer = tokenizer;
        this.mode = mode;
        this.probability = probability;
        this.maskFraction = maskFraction;
        this.randomFraction = randomFraction;
        this.spanBefore = (k - 1) / 2;
        this.spanAfter = k / 2; // ⌈(k−1)/2⌉
        int n = 0;
        int[] ids = new int[tokenizer.vocabSize()];
        for (int id = 0; id < ids.length; id++) if (!tokenizer.isSpecial(id) && id != tokenizer.pad()) ids[n++] = id;
        if (n == 0) throw new IllegalArgumentException("tokenizer " + tokenizer.kind() + " has no non-special tokens to mask");
        this.nonSpecial = Arrays.copyOf(ids, n);
    }

    /** BERT masking: 15 % of maskable positions, 80/10/10. */
    public static MlmMasker bert(Tokenizer tokenizer) {
        return new MlmMasker(tokenizer, Mode.TOKEN, 0.15, 0.8, 0.1, 1);
    }

    /** Token masking with a chosen probability and split (mask, random; the rest unchanged). */
    public static MlmMasker token(Tokenizer tokenizer, double probability, double maskFraction, double randomFraction) {
        return new MlmMasker(tokenizer, Mode.TOKEN, probability, maskFraction, randomFraction, 1);
    }

    /** DNABERT span masking for overlapping k-mers, with centres drawn so about 15 % is masked. */
    public static MlmMasker dnabertSpan(Tokenizer tokenizer, int k) {
        return dnabertSpan(tokenizer, k, spanCentreProbability(k, 0.15));
    }

    /** DNABERT span masking with an explicit centre probability (DNABERT itself uses 0.025). */
    public static MlmMasker dnabertSpan(Tokenizer tokenizer, int k, double centreProbability) {
        if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k);
        return new MlmMasker(tokenizer, Mode.SPAN, centreProbability, 0.8, 0.1, k);
    }

    /** The centre probability p with 1 − (1 − p)^k = target: the interior masked fraction of span masking. */
    public static double spanCentreProbability(int k, double target) {
        if (!(target > 0 && target < 1)) throw new IllegalArgumentException("target fraction must be in (0, 1), got " + target);
        return 1 - Math.pow(1 - target, 1.0 / k);
    }

    public Mode mode() {
        return mode;
    }

    /** Per-position probability (token mode) or per-centre probability (span mode). */
    public double probability() {
        return probability;
    }

    /** Span length in tokens (1 in token mode). */
    public int spanLength() {
        return spanBefore + spanAfter + 1;
    }

    /** True where a token may be masked: not special and not padding. */
    public boolean maskable(int id) {
        return id != tokenizer.pad() && !tokenizer.isSpecial(id);
    }

    /** Masks an INT32 batch [B, T]. */
    public MaskedTensors mask(Tensor ids, Generator gen) {
        if (ids.dtype() != DType.INT32 || ids.dim() != 2) {
            throw new IllegalArgumentException("MLM masking needs INT32 token ids [B, T], got " + ids);
        }
        int b = ids.size(0), t = ids.size(1);
        int[] flat = ids.toIntArray();
        int[][] rows = new int[b][];
        for (int i = 0; i < b; i++) rows[i] = Arrays.copyOfRange(flat, i * t, (i + 1) * t);
        Masked m = mask(rows, gen);
        int[] in = new int[b * t], lab = new int[b * t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(m.inputIds[i], 0, in, i * t, t);
            System.arraycopy(m.labels[i], 0, lab, i * t, t);
        }
        return new MaskedTensors(Tensor.ofInts(in, b, t), Tensor.ofInts(lab, b, t));
    }

    /** Masks a batch of rows of equal length [B][T]; the input is not modified. */
    public Masked mask(int[][] ids, Generator gen) {
        int b = ids.length;
        int t = b == 0 ? 0 : ids[0].length;
        for (int i = 0; i < b; i++) {
            if (ids[i].length != t) throw new IllegalArgumentException("row " + i + " has " + ids[i].length + " tokens, row 0 has " + t);
            for (int id : ids[i]) {
                if (id < 0 || id >= tokenizer.vocabSize()) {
                    throw new IllegalArgumentException("row " + i + " holds id " + id + " outside the vocabulary [0, " + tokenizer.vocabSize() + ")");
                }
            }
        }
        long seed = gen.seed();
        long base = gen.advance(3L * b * t);
        boolean[][] chosen = new boolean[b][t];
        long maskableCount = 0, chosenCount = 0;
        for (int i = 0; i < b; i++) {
            int[] row = ids[i];
            boolean[] c = chosen[i];
            for (int j = 0; j < t; j++) {
                if (!maskable(row[j])) continue;
                maskableCount++;
                if (Generator.uniformAt(seed, base + 3L * ((long) i * t + j)) >= probability) continue;
                if (mode == Mode.TOKEN) {
                    c[j] = true;
                } else {
                    for (int o = -spanBefore; o <= spanAfter; o++) {
                        int p = j + o;
                        if (p >= 0 && p < t && maskable(row[p])) c[p] = true;
                    }
                }
            }
            for (boolean x : c) if (x) chosenCount++;
        }
        if (chosenCount == 0 && maskableCount > 0) {
            long pick = Math.floorMod(Generator.mix(seed, gen.advance(1)), maskableCount);
            outer:
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < t; j++) {
                    if (maskable(ids[i][j]) && pick-- == 0) {
                        chosen[i][j] = true;
                        break outer;
                    }
                }
            }
        }
        int[][] input = new int[b][];
        int[][] labels = new int[b][t];
        for (int i = 0; i < b; i++) {
            input[i] = ids[i].clone();
            Arrays.fill(labels[i], IGNORE);
            for (int j = 0; j < t; j++) {
                if (!chosen[i][j]) continue;
                labels[i][j] = ids[i][j];
                long at = base + 3L * ((long) i * t + j);
                float action = Generator.uniformAt(seed, at + 1);
                if (action < maskFraction) {
                    input[i][j] = tokenizer.mask();
                } else if (action < maskFraction + randomFraction) {
                    input[i][j] = nonSpecial[(int) Math.floorMod(Generator.mix(seed, at + 2), (long) nonSpecial.length)];
                }
            }
        }
        return new Masked(input, labels);
    }
}

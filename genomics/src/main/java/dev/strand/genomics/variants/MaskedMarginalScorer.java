package dev.strand.genomics.variants;

import dev.strand.autograd.Variable;
import dev.strand.genomics.data.TokenRows;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.transformer.BertModel;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * {@link ScoringMethod#MASKED_MARGINAL} with a {@link BertModel}: the tokens in which the ref and
 * alt windows differ are masked in the ref window, one pass, and score = Σ over them of log p(alt
 * token) − log p(ref token). Alleles whose masked inputs are identical (several ALTs, or a control,
 * at one position) share that pass.
 */
final class MaskedMarginalScorer implements AlleleScorer {
    private final BertModel model;
    private final Tokenizer tokenizer;
    private final int batch;

    MaskedMarginalScorer(BertModel model, Tokenizer tokenizer, int batch) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.batch = batch;
    }

    /**
     * The token positions where {@code ref} and {@code alt} differ, or null when the two do not
     * line up token for token (different lengths). For overlapping k-mers and a single-base change
     * these are exactly the k tokens that contain the base.
     */
    static int[] changedTokens(int[] ref, int[] alt) {
        if (ref.length != alt.length) return null;
        int[] out = new int[ref.length];
        int n = 0;
        for (int i = 0; i < ref.length; i++) if (ref[i] != alt[i]) out[n++] = i;
        return Arrays.copyOf(out, n);
    }

    @Override
    public String unscorable(Allele a) {
        int[] changed = changedTokens(a.refIds(), a.altIds());
        if (changed == null) return "the alt window tokenizes to a different number of tokens; a masked marginal needs a substitution token for token";
        if (changed.length == 0) return "the ALT allele leaves the tokens unchanged";
        return null;
    }

    private int[] masked(Allele a) {
        int[] in = a.refIds().clone();
        for (int p : changedTokens(a.refIds(), a.altIds())) in[p] = tokenizer.mask();
        return in;
    }

    @Override
    public long rows(List<Allele> alleles) {
        return alleles.stream().map(a -> new TokenKey(masked(a))).distinct().count();
    }

    @Override
    public double[] score(List<Allele> alleles, LongConsumer progress) {
        Map<TokenKey, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < alleles.size(); i++) groups.computeIfAbsent(new TokenKey(masked(alleles.get(i))), k -> new ArrayList<>()).add(i);
        List<TokenKey> inputs = new ArrayList<>(groups.keySet());
        double[] scores = new double[alleles.size()];
        for (int from = 0; from < inputs.size(); from += batch) {
            List<TokenKey> part = inputs.subList(from, Math.min(inputs.size(), from + batch));
            List<int[]> rows = part.stream().map(TokenKey::ids).toList();
            Tensor ids = TokenRows.padded(rows, tokenizer.pad());                             // [B, T]
            int t = ids.size(1);
            // the masked positions of every row, as row-major indices into [B·T]
            List<Integer> picked = new ArrayList<>();
            for (int b = 0; b < part.size(); b++) {
                int[] row = rows.get(b);
                for (int p = 0; p < row.length; p++) if (row[p] == tokenizer.mask()) picked.add(b * t + p);
            }
            Variable hidden = model.hidden(ids, TokenRows.paddingMask(ids, tokenizer.pad()));  // [B, T, d]
            Variable h = hidden.reshape(-1, model.config.dim())
                    .indexSelect(0, Tensor.ofInts(picked.stream().mapToInt(Integer::intValue).toArray()));   // [N, d]
            LogProbs logProbs = new LogProbs(model.mlm.forward(h).data());                  // [N, V]
            Map<Integer, Integer> rowOf = new java.util.HashMap<>();
            for (int i = 0; i < picked.size(); i++) rowOf.put(picked.get(i), i);
            for (int b = 0; b < part.size(); b++) {
                for (int i : groups.get(part.get(b))) {
                    Allele a = alleles.get(i);
                    double s = 0;
                    for (int p : changedTokens(a.refIds(), a.altIds())) {
                        int r = rowOf.get(b * t + p);
                        s += logProbs.at(r, a.altIds()[p]) - logProbs.at(r, a.refIds()[p]);
                    }
                    scores[i] = s;
                }
            }
            progress.accept(part.size());
        }
        return scores;
    }
}

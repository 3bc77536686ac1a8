package dev.strand.genomics.variants;

import dev.strand.autograd.Variable;
import dev.strand.genomics.data.TokenRows;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.transformer.BertModel;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * {@link ScoringMethod#PSEUDO_LIKELIHOOD} with a {@link BertModel}: PLL(x) = Σ_i log p(x_i | x
 * with token i masked) over the DNA tokens, one masked copy of the sequence per token, batched;
 * score = PLL(alt window) − PLL(ref window). Each distinct window is computed once.
 */
final class PseudoLikelihoodScorer implements AlleleScorer {
    private final BertModel model;
    private final Tokenizer tokenizer;
    private final int batch;

    PseudoLikelihoodScorer(BertModel model, Tokenizer tokenizer, int batch) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.batch = batch;
    }

    @Override
    public String unscorable(Allele a) {
        return null;
    }

    /** Positions of the DNA tokens of a sequence (the ones PLL masks one at a time). */
    private List<Integer> maskable(int[] ids) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) if (!tokenizer.isSpecial(ids[i]) && ids[i] != tokenizer.pad()) out.add(i);
        return out;
    }

    @Override
    public long rows(List<Allele> alleles) {
        return Allele.distinctSequences(alleles).keySet().stream().mapToLong(k -> maskable(k.ids()).size()).sum();
    }

    /** One masked copy: sequence number and the position masked. */
    private record Copy(int sequence, int position) {}

    @Override
    public double[] score(List<Allele> alleles, LongConsumer progress) {
        Map<TokenKey, Integer> index = Allele.distinctSequences(alleles);
        List<TokenKey> seqs = new ArrayList<>(index.keySet());
        List<Copy> copies = new ArrayList<>();
        for (int s = 0; s < seqs.size(); s++) for (int p : maskable(seqs.get(s).ids())) copies.add(new Copy(s, p));
        double[] pll = new double[seqs.size()];
        for (int from = 0; from < copies.size(); from += batch) {
            List<Copy> part = copies.subList(from, Math.min(copies.size(), from + batch));
            List<int[]> rows = new ArrayList<>();
            for (Copy c : part) {
                int[] row = seqs.get(c.sequence()).ids().clone();
                row[c.position()] = tokenizer.mask();
                rows.add(row);
            }
            Tensor ids = TokenRows.padded(rows, tokenizer.pad());                             // [B, T]
            int t = ids.size(1);
            int[] picked = new int[part.size()];
            for (int b = 0; b < part.size(); b++) picked[b] = b * t + part.get(b).position();
            Variable hidden = model.hidden(ids, TokenRows.paddingMask(ids, tokenizer.pad()));  // [B, T, d]
            Variable h = hidden.reshape(-1, model.config.dim()).indexSelect(0, Tensor.ofInts(picked));   // [B, d]
            LogProbs logProbs = new LogProbs(model.mlm.forward(h).data());                  // [B, V]
            for (int b = 0; b < part.size(); b++) {
                Copy c = part.get(b);
                pll[c.sequence()] += logProbs.at(b, seqs.get(c.sequence()).ids()[c.position()]);
            }
            progress.accept(part.size());
        }
        return Allele.altMinusRef(alleles, index, pll);
    }
}

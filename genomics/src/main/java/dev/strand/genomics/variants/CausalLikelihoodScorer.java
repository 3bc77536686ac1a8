package dev.strand.genomics.variants;

import dev.strand.genomics.data.TokenRows;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.transformer.GptModel;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * {@link ScoringMethod#CAUSAL_LIKELIHOOD} with a {@link GptModel}: log P(window) = Σ_t log p(x_t |
 * x_&lt;t) over the window's DNA tokens (given [CLS] and any control tags in front); score = log
 * P(alt window) − log P(ref window). Each distinct window is computed once; rows are right-padded,
 * which a causal model never looks at.
 */
final class CausalLikelihoodScorer implements AlleleScorer {
    /** Logits per batch are [B, T, V]; keep B·T·V under this many floats. */
    private static final long MAX_LOGITS = 8L << 20;

    private final GptModel model;
    private final Tokenizer tokenizer;
    private final int batch;

    CausalLikelihoodScorer(GptModel model, Tokenizer tokenizer, int batch) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.batch = batch;
    }

    @Override
    public String unscorable(Allele a) {
        return null;
    }

    @Override
    public long rows(List<Allele> alleles) {
        return Allele.distinctSequences(alleles).size();
    }

    /** log P of the DNA tokens of {@code ids} given the tokens before each, from log-probabilities of row {@code row} of [B, T, V]. */
    double logLikelihood(int[] ids, LogProbs logProbs, int row, int t) {
        double sum = 0;
        for (int i = 1; i < ids.length; i++) {
            if (tokenizer.isSpecial(ids[i]) || ids[i] == tokenizer.pad()) continue;
            sum += logProbs.at(row * t + i - 1, ids[i]);
        }
        return sum;
    }

    @Override
    public double[] score(List<Allele> alleles, LongConsumer progress) {
        Map<TokenKey, Integer> index = Allele.distinctSequences(alleles);
        List<TokenKey> seqs = new ArrayList<>(index.keySet());
        double[] logP = new double[seqs.size()];
        int longest = seqs.stream().mapToInt(k -> k.ids().length).max().orElse(1);
        int rowsPerBatch = (int) Math.max(1, Math.min(batch, MAX_LOGITS / ((long) longest * model.config.vocabSize())));
        for (int from = 0; from < seqs.size(); from += rowsPerBatch) {
            List<TokenKey> part = seqs.subList(from, Math.min(seqs.size(), from + rowsPerBatch));
            Tensor ids = TokenRows.padded(part.stream().map(TokenKey::ids).toList(), tokenizer.pad());   // [B, T]
            int b = ids.size(0), t = ids.size(1);
            Tensor logits = model.logits(ids, null).data().reshape(b * t, model.config.vocabSize());      // [B·T, V]
            LogProbs logProbs = new LogProbs(logits);
            for (int r = 0; r < b; r++) logP[from + r] = logLikelihood(part.get(r).ids(), logProbs, r, t);
            progress.accept(b);
        }
        return Allele.altMinusRef(alleles, index, logP);
    }
}

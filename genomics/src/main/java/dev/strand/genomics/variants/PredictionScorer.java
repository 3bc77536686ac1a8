package dev.strand.genomics.variants;

import dev.strand.genomics.data.TokenRows;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * {@link ScoringMethod#PREDICTION_CHANGE} with a fine-tuned {@link SequenceModel} (DNABERT's
 * functional-variant analysis): the model's prediction for the alt window minus that for the ref
 * window. For a classifier the prediction is the log-odds of one class, z_c − log Σ_{j≠c} exp z_j
 * from its logits z (nats; for two classes the logit difference), so a positive score means the
 * ALT allele makes that class likelier; for a regression head it is one predicted target. Each
 * distinct window is computed once.
 */
final class PredictionScorer implements AlleleScorer {
    private final SequenceModel model;
    private final Tokenizer tokenizer;
    private final int batch, output;
    private final boolean classifier;

    /**
     * @param output     the class (classifier) or target (regression) whose change is scored
     * @param classifier whether the head's outputs are class logits
     */
    PredictionScorer(SequenceModel model, Tokenizer tokenizer, int batch, int output, boolean classifier) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.batch = batch;
        this.output = output;
        this.classifier = classifier;
    }

    @Override
    public String unscorable(Allele a) {
        return null;
    }

    @Override
    public long rows(List<Allele> alleles) {
        return Allele.distinctSequences(alleles).size();
    }

    @Override
    public double[] score(List<Allele> alleles, LongConsumer progress) {
        Map<TokenKey, Integer> index = Allele.distinctSequences(alleles);
        List<TokenKey> seqs = new ArrayList<>(index.keySet());
        double[] prediction = new double[seqs.size()];
        for (int from = 0; from < seqs.size(); from += batch) {
            List<TokenKey> part = seqs.subList(from, Math.min(seqs.size(), from + batch));
            Tensor ids = TokenRows.padded(part.stream().map(TokenKey::ids).toList(), tokenizer.pad());   // [B, T]
            float[] y = model.forward(ids, TokenRows.paddingMask(ids, tokenizer.pad())).data().toFloatArray();   // [B, K]
            int k = y.length / part.size();
            for (int r = 0; r < part.size(); r++) prediction[from + r] = classifier ? logOdds(y, r * k, k, output) : y[r * k + output];
            progress.accept(part.size());
        }
        return Allele.altMinusRef(alleles, index, prediction);
    }

    /** log(p_c / (1 − p_c)) of the softmax of logits[from, from + k), computed from the logits so it stays finite. */
    static double logOdds(float[] logits, int from, int k, int c) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) if (j != c) max = Math.max(max, logits[from + j]);
        double others = 0;
        for (int j = 0; j < k; j++) if (j != c) others += Math.exp(logits[from + j] - max);
        return logits[from + c] - (max + Math.log(others));
    }
}

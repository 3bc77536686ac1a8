package dev.strand.genomics.train;

import dev.strand.genomics.data.MlmMasker;
import dev.strand.genomics.data.TokenRows;
import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.metrics.LanguageModelMetrics;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.Module;
import dev.strand.nn.transformer.BertModel;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.List;
import java.util.function.Supplier;

/**
 * BERT's objective: fill in masked tokens. The masker chooses the positions (BERT masking; DNABERT
 * span masking for overlapping k-mers, whose neighbours would give a lone masked k-mer away).
 * Scored by masked-token accuracy and bits per masked base.
 */
public final class MaskedLanguageModelling implements LanguageModelling {
    private final BertModel model;
    private final Tokenizer tokenizer;
    private final MlmMasker masker;
    private final Supplier<Tensor> batches;
    private final Generator maskGen;

    /**
     * @param batches the training batches, ids [B, T], in order
     * @param maskGen draws the training masks
     */
    public MaskedLanguageModelling(BertModel model, Tokenizer tokenizer, MlmMasker masker, Supplier<Tensor> batches, Generator maskGen) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.masker = masker;
        this.batches = batches;
        this.maskGen = maskGen;
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public Loss next() {
        Tensor ids = batches.get();                                                             // [B, T]
        MlmMasker.MaskedTensors masked = masker.mask(ids, maskGen);
        return new Loss(model.mlmLoss(masked.inputIds(), TokenRows.paddingMask(ids, tokenizer.pad()), masked.labels()), ids.numel());
    }

    @Override
    public void score(Tensor ids, LanguageModelMetrics.Accumulator scores, Generator fixed) {
        MlmMasker.MaskedTensors masked = masker.mask(ids, fixed);
        scores.add(model.mlmLogits(masked.inputIds(), TokenRows.paddingMask(ids, tokenizer.pad())).data(), masked.labels());
    }

    @Override
    public double basesPerToken(List<PretrainingWindows.Window> held, LanguageModelMetrics.Accumulator scores) {
        return tokenizer.basesPerToken(tokenizer.encode(held.get(0).sequence()));
    }
}

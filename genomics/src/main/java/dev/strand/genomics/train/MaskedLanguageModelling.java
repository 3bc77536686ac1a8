package dev.strand.genomics.train;

import dev.strand.genomics.data.MlmMasker;
import dev.strand.genomics.data.TokenRows;
import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.metrics.LanguageModelMetrics;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.Module;
import dev.strand.nn.train.Batch;
import dev.strand.nn.train.ShardedData;
import dev.strand.nn.train.ShardedDraws;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.nn.transformer.BertModel;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final ShardedDraws draws;   // data drawn in shards, or null

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
        this.draws = null;
    }

    /**
     * Masked-LM over data drawn shard by shard ({@link ShardedData}, e.g. {@link WindowShards} with {@link WindowShards.Target#MASKED}),
     * the same rows whether one process draws every shard or each replica draws its own.
     *
     * @param steps counts the draws (its counter is the next step's number, saved with checkpoints)
     */
    public MaskedLanguageModelling(BertModel model, Tokenizer tokenizer, ShardedData shards, Generator steps) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.masker = maskerFor(tokenizer);
        this.batches = null;
        this.maskGen = null;
        this.draws = new ShardedDraws(shards, steps);
    }

    /** The masking a tokenizer's pretraining uses: DNABERT's spans for overlapping k-mers (a lone masked k-mer's neighbours give it away), BERT's otherwise. */
    public static MlmMasker maskerFor(Tokenizer tokenizer) {
        return tokenizer instanceof KmerTokenizer k ? MlmMasker.dnabertSpan(tokenizer, k.k()) : MlmMasker.bert(tokenizer);
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public Loss next() {
        if (draws != null) return LanguageModelling.super.next();
        Tensor ids = batches.get();                                                             // [B, T]
        MlmMasker.MaskedTensors masked = masker.mask(ids, maskGen);
        return new Loss(model.mlmLoss(masked.inputIds(), TokenRows.paddingMask(ids, tokenizer.pad()), masked.labels()), ids.numel());
    }

    /**
     * The next batch, masked: {@code input_ids} and {@code labels} [B, T] (INT32), and {@code
     * padding} [B, T] (1 at padding) when any row is padded.
     */
    @Override
    public Batch nextBatch() {
        if (draws != null) return draws.nextWhole();
        Tensor ids = batches.get();                                                             // [B, T]
        MlmMasker.MaskedTensors masked = masker.mask(ids, maskGen);
        Map<String, Tensor> batch = new LinkedHashMap<>(Map.of("input_ids", masked.inputIds(), "labels", masked.labels()));
        Tensor padding = TokenRows.paddingMask(ids, tokenizer.pad());
        if (padding != null) batch.put("padding", padding);
        return new Batch(batch);
    }

    @Override
    public Draw nextDraw() {
        return draws == null ? null : draws.next();
    }

    @Override
    public Replica replica() {
        return new MlmReplica(ConfigText.of(model.config));
    }

    /**
     * A BERT of the trained one's config, its loss on rows summed over their masked tokens (the
     * weight is how many there are), so that shards add up to the batch's mean.
     *
     * @param configJson the model's {@link TransformerConfig} as JSON (records travel as text, not Java serialisation)
     */
    record MlmReplica(String configJson) implements Replica {
        @Override
        public Module build() {
            return new BertModel(ConfigText.read(configJson), new Generator(0));
        }

        @Override
        public Part loss(Module model, Batch rows) {
            Tensor labels = rows.get("labels");                                                 // [b, T]
            return Part.overLabels(labels, labels.numel(),
                    () -> ((BertModel) model).mlmLoss(rows.get("input_ids"), rows.tensors().get("padding"), labels));
        }
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

package dev.strand.genomics.train;

import dev.strand.autograd.Variable;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.nn.Module;
import dev.strand.nn.loss.Losses;
import dev.strand.nn.lora.Lora;
import dev.strand.nn.lora.LoraConfig;
import dev.strand.nn.train.Batch;
import dev.strand.nn.train.ShardedData;
import dev.strand.nn.train.ShardedDraws;
import dev.strand.nn.train.ShardedObjective;
import dev.strand.nn.transformer.SequenceHead;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.nn.transformer.Transformer;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Classification (cross-entropy over the head's logits) or regression (MSE of its outputs) on
 * labelled rows: one epoch after another, each epoch's batches drawn in a fresh order when the
 * previous epoch's run out; or, for data-parallel training, rows drawn shard by shard
 * ({@link LabelledShards}).
 */
final class SupervisedObjective implements ShardedObjective {
    private final SequenceModel model;
    private final Supplier<Iterable<dev.strand.genomics.data.Batch>> epochs;
    private final ShardedDraws draws;   // data drawn in shards, or null
    private final SupervisedReplica replica;
    private Iterator<dev.strand.genomics.data.Batch> epoch;

    /**
     * @param epochs  a new pass over the training rows each call (unused with {@code shards})
     * @param shards  the rows drawn shard by shard instead, or null
     * @param steps   counts the shards' draws (its counter is the next draw's number)
     * @param replica how a replica of {@code model} is built, and the loss
     */
    SupervisedObjective(SequenceModel model, Supplier<Iterable<dev.strand.genomics.data.Batch>> epochs, ShardedData shards, Generator steps,
                        SupervisedReplica replica) {
        this.model = model;
        this.epochs = epochs;
        this.draws = shards == null ? null : new ShardedDraws(shards, steps);
        this.replica = replica;
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public Loss next() {
        if (draws != null) return ShardedObjective.super.next();
        dev.strand.genomics.data.Batch b = nextRows();
        return new Loss(replica.meanLoss(model, b.ids(), b.padding(), b.labels()), b.size());
    }

    private dev.strand.genomics.data.Batch nextRows() {
        if (epoch == null || !epoch.hasNext()) epoch = epochs.get().iterator();
        return epoch.next();
    }

    @Override
    public Batch nextBatch() {
        return draws != null ? draws.nextWhole() : toBatch(nextRows());
    }

    @Override
    public Draw nextDraw() {
        return draws == null ? null : draws.next();
    }

    @Override
    public Replica replica() {
        return replica;
    }

    /** A labelled batch as named tensors: {@code input_ids}, {@code labels}, and {@code padding} when there is any. */
    static Batch toBatch(dev.strand.genomics.data.Batch b) {
        Map<String, Tensor> out = new LinkedHashMap<>(Map.of("input_ids", b.ids(), "labels", b.labels()));
        if (b.padding() != null) out.put("padding", b.padding());
        return new Batch(out);
    }

    /**
     * A sequence model of the fine-tuned one's shape (encoder, head, LoRA adapters), and its loss on
     * rows summed over them (cross-entropy) or over their targets (MSE), so that parts add up to the
     * batch's mean.
     *
     * @param configJson the encoder's config ({@link ConfigText})
     * @param lora       the adapters, or null
     */
    record SupervisedReplica(String configJson, int outputs, SequenceHead.Pooling pooling, boolean norm, float dropout, LoraConfig lora,
                             LabelledDataset.Task task) implements Replica {
        @Override
        public Module build() {
            TransformerConfig config = ConfigText.read(configJson);
            Generator gen = new Generator(0);
            SequenceModel m = new SequenceModel(new Transformer(config, gen), new SequenceHead(config.dim(), outputs, pooling, norm, dropout, gen), gen);
            if (lora != null) Lora.apply(m, lora, config.architecture().moduleNames(), gen);
            return m;
        }

        /** The mean loss of the rows: ids [B, T], padding [B, T] or null, labels [B] classes or [B, K] targets. */
        Variable meanLoss(SequenceModel model, Tensor ids, Tensor padding, Tensor labels) {
            Variable out = model.forward(ids, padding);                                        // [B, K]
            return task == LabelledDataset.Task.CLASSIFICATION
                    ? Losses.crossEntropy(out, labels)                                         // labels [B]
                    : Losses.mse(out, Variable.constant(labels));                              // labels [B, K]
        }

        @Override
        public Part loss(Module model, Batch rows) {
            Tensor labels = rows.get("labels");
            int b = labels.size(0);
            float terms = task == LabelledDataset.Task.CLASSIFICATION ? b : (float) labels.numel();
            Variable mean = meanLoss((SequenceModel) model, rows.get("input_ids"), rows.tensors().get("padding"), labels);
            return new Part(mean.mul(terms), terms, b);
        }
    }
}

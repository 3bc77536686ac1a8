package dev.strand.genomics.train;

import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.metrics.LanguageModelMetrics;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.Module;
import dev.strand.nn.loss.Losses;
import dev.strand.nn.train.Batch;
import dev.strand.nn.train.ShardedData;
import dev.strand.nn.train.ShardedDraws;
import dev.strand.nn.transformer.GptModel;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * GPT's objective: predict each token from the ones before it. The loss is over DNA tokens only
 * ([CLS], control tags, [SEP] and padding are inputs, never targets). Scored by next-token accuracy
 * and bits per base (the windows' total bits over their bases).
 */
public final class CausalLanguageModelling implements LanguageModelling {
    private final GptModel model;
    private final Tokenizer tokenizer;
    private final Supplier<Tensor> batches;
    private final ShardedDraws draws;   // data drawn in shards, or null

    /** @param batches the training batches, ids [B, T], in order */
    public CausalLanguageModelling(GptModel model, Tokenizer tokenizer, Supplier<Tensor> batches) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.batches = batches;
        this.draws = null;
    }

    /**
     * Next-token prediction over data drawn shard by shard ({@link WindowShards} with {@link
     * WindowShards.Target#NEXT_TOKEN}), the same rows whether one process draws every shard or each
     * replica draws its own.
     *
     * @param steps counts the draws (its counter is the next step's number, saved with checkpoints)
     */
    public CausalLanguageModelling(GptModel model, Tokenizer tokenizer, ShardedData shards, Generator steps) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.batches = null;
        this.draws = new ShardedDraws(shards, steps);
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public Loss next() {
        if (draws != null) return LanguageModelling.super.next();
        Tensor ids = batches.get();                                                             // [B, T]
        NextTokens next = nextTokens(ids);
        // With recurrent memory and truncated BPTT, segments before each cut are backpropagated there.
        return new Loss(model.nextTokenLoss(next.inputs(), next.targets(), true), ids.numel());
    }

    /** The next batch: {@code input_ids} ids[:, :-1] and {@code labels} ids[:, 1:] (DNA tokens only) [B, T-1]. */
    @Override
    public Batch nextBatch() {
        if (draws != null) return draws.nextWhole();
        NextTokens next = nextTokens(batches.get());
        return new Batch(Map.of("input_ids", next.inputs().contiguous(), "labels", next.targets()));
    }

    @Override
    public Draw nextDraw() {
        return draws == null ? null : draws.next();
    }

    @Override
    public Replica replica() {
        return new CausalReplica(ConfigText.of(model.config));
    }

    /**
     * A GPT of the trained one's config, its loss on rows summed over their scored targets (the
     * weight is how many there are), so that shards add up to the batch's mean. Segments of a model
     * with recurrent memory keep their graphs to the end of the pass (no backward at cuts), so the
     * sum is one graph.
     *
     * @param configJson the model's config ({@link ConfigText})
     */
    record CausalReplica(String configJson) implements Replica {
        @Override
        public Module build() {
            return new GptModel(ConfigText.read(configJson), new Generator(0));
        }

        @Override
        public Part loss(Module model, Batch rows) {
            Tensor labels = rows.get("labels");                                                 // [b, T-1]
            long windowTokens = (long) labels.size(0) * (labels.size(1) + 1);
            return Part.overLabels(labels, windowTokens, () -> ((GptModel) model).nextTokenLoss(rows.get("input_ids"), labels, false));
        }
    }

    @Override
    public void score(Tensor ids, LanguageModelMetrics.Accumulator scores, Generator fixed) {
        NextTokens next = nextTokens(ids);
        scores.add(model.logits(next.inputs(), null).data(), next.targets());
    }

    /**
     * Scores the tokens after the first segment of a model with recurrent memory twice: with the
     * memory carried from segment to segment into {@code carried}, and with every segment starting
     * from the first memory into {@code reset}. The difference is what the memory carries. The
     * first {@code opening} tokens of each later segment, where a reset memory leaves the least
     * context, are also scored on their own into {@code openings} (carried, reset).
     */
    void scoreLaterSegments(Tensor ids, LanguageModelMetrics.Accumulator carried, LanguageModelMetrics.Accumulator reset,
                            int opening, LanguageModelMetrics.Accumulator[] openings) {
        if (model.memory == null) throw new IllegalStateException("the model has no recurrent memory");
        NextTokens next = nextTokens(ids);
        int t = next.targets().size(1), c = model.memory.settings.decoderChunk(), first = Math.min(t, c);
        Tensor later = next.targets().narrow(1, first, t - first);                           // [B, T-1-c]
        try {
            for (boolean carry : new boolean[] {true, false}) {
                model.memory.carryMemory(carry);
                Tensor logits = model.logits(next.inputs(), null).data();                   // [B, T-1, V]
                (carry ? carried : reset).add(logits.narrow(1, first, t - first), later);
                for (int from = c; from < t; from += c) {
                    int n = Math.min(opening, t - from);
                    openings[carry ? 0 : 1].add(logits.narrow(1, from, n), next.targets().narrow(1, from, n));   // [B, n, V], [B, n]
                }
            }
        } finally {
            model.memory.carryMemory(true);
        }
    }

    @Override
    public double basesPerToken(List<PretrainingWindows.Window> held, LanguageModelMetrics.Accumulator scores) {
        long bases = 0;
        for (PretrainingWindows.Window w : held) bases += w.sequence().length();
        return (double) bases / scores.scored();
    }

    /**
     * Inputs ids[:, :-1] and targets ids[:, 1:] [B, T-1], with targets that are not DNA tokens
     * (tags, [SEP], padding) set to the ignore label.
     */
    private NextTokens nextTokens(Tensor ids) {
        return nextTokens(ids, tokenizer);
    }

    /** {@link #nextTokens(Tensor)} for {@code tokenizer}'s ids. */
    static NextTokens nextTokens(Tensor ids, Tokenizer tokenizer) {
        int b = ids.size(0), t = ids.size(1);
        int[] targets = ids.narrow(1, 1, t - 1).contiguous().toIntArray();
        for (int i = 0; i < targets.length; i++) {
            if (tokenizer.isSpecial(targets[i]) || targets[i] == tokenizer.pad()) targets[i] = Losses.IGNORE_INDEX;
        }
        return new NextTokens(ids.narrow(1, 0, t - 1), Tensor.ofInts(targets, b, t - 1));
    }

    record NextTokens(Tensor inputs, Tensor targets) {}
}

package dev.strand.genomics.train;

import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.metrics.LanguageModelMetrics;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.Module;
import dev.strand.nn.loss.Losses;
import dev.strand.nn.transformer.GptModel;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.List;
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

    /** @param batches the training batches, ids [B, T], in order */
    public CausalLanguageModelling(GptModel model, Tokenizer tokenizer, Supplier<Tensor> batches) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.batches = batches;
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public Loss next() {
        Tensor ids = batches.get();                                                             // [B, T]
        NextTokens next = nextTokens(ids);
        // With recurrent memory and truncated BPTT, segments before each cut are backpropagated there.
        return new Loss(model.nextTokenLoss(next.inputs(), next.targets(), true), ids.numel());
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
        int b = ids.size(0), t = ids.size(1);
        int[] targets = ids.narrow(1, 1, t - 1).contiguous().toIntArray();
        for (int i = 0; i < targets.length; i++) {
            if (tokenizer.isSpecial(targets[i]) || targets[i] == tokenizer.pad()) targets[i] = Losses.IGNORE_INDEX;
        }
        return new NextTokens(ids.narrow(1, 0, t - 1), Tensor.ofInts(targets, b, t - 1));
    }

    private record NextTokens(Tensor inputs, Tensor targets) {}
}

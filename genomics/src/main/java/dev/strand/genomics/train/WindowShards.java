package dev.strand.genomics.train;

import dev.strand.genomics.data.MlmMasker;
import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.data.TokenRows;
import dev.strand.genomics.io.Genome;
import dev.strand.genomics.io.GenomeSource;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.nn.loss.Losses;
import dev.strand.nn.train.Batch;
import dev.strand.nn.train.ShardedData;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Language-model batches drawn shard by shard from random genome windows. Shard {@code s} of a step
 * draws its rows from its own slice of the training DNA ({@link PretrainingWindows#shard}) with a
 * generator seeded by the data's seed, the step and {@code s}, then tokenizes and tags them and
 * makes the targets: masked tokens (with the same generator) or the next tokens. The genomes are
 * opened where the shard is drawn ({@link GenomeSource}), so on a cluster each replica reads its
 * own DNA and none of it passes through the driver.
 *
 * @param genomes       where the genomes are, in the order of the windows' genome numbers
 * @param windows       which windows: length, held-out parts, N policy, strand
 * @param tags          control tags per genome (empty: none)
 * @param tokenizerJson the tokenizer ({@link Tokenizers#toJson})
 * @param batch         rows in a global batch, shared among the shards as evenly as they go
 * @param shards        shards in a global batch
 * @param seed          seeds every draw
 * @param target        what is predicted
 */
public record WindowShards(List<GenomeSource> genomes, PretrainingWindows.Spec windows, List<List<String>> tags,
                           String tokenizerJson, int batch, int shards, long seed, Target target) implements ShardedData {
    /** What the rows ask the model to predict. */
    public enum Target {
        /** Masked tokens ({@link MaskedLanguageModelling#maskerFor}): {@code input_ids} masked, {@code labels} the masked tokens. */
        MASKED,
        /** Each token from the ones before it: {@code input_ids} ids[:, :-1], {@code labels} ids[:, 1:] (DNA tokens only). */
        NEXT_TOKEN
    }

    public WindowShards {
        genomes = List.copyOf(genomes);
        tags = tags.stream().map(List::copyOf).toList();
        if (shards < 1 || batch < shards) throw new IllegalArgumentException("a batch of " + batch + " rows cannot be cut into " + shards + " data shards");
    }

    /** What this process opened to draw these shards; kept, so that a replica opens the genomes once per run. */
    private record Opened(List<Genome> genomes, PretrainingWindows all, Tokenizer tokenizer, MlmMasker masker, PretrainingWindows[] shards) {
        synchronized PretrainingWindows shard(int s, int count) {
            if (shards[s] == null) shards[s] = all.shard(s, count);
            return shards[s];
        }

        void close() {
            genomes.forEach(Genome::close);
        }
    }

    private static final Map<WindowShards, Opened> OPENED = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<WindowShards, Opened> eldest) {
            if (size() <= 2) return false;
            eldest.getValue().close();
            return true;
        }
    };

    private Opened opened() {
        synchronized (OPENED) {
            return OPENED.computeIfAbsent(this, d -> {
                List<Genome> open = d.genomes.stream().map(GenomeSource::open).toList();
                Tokenizer tok = Tokenizers.fromJson(d.tokenizerJson);
                return new Opened(open, new PretrainingWindows(open, d.windows), tok, MaskedLanguageModelling.maskerFor(tok), new PretrainingWindows[d.shards]);
            });
        }
    }

    /** Rows of shard {@code s}. */
    int rows(int s) {
        return ShardedData.split(batch, shards, s + 1) - ShardedData.split(batch, shards, s);
    }

    /**
     * Rows of shards {@code from} … {@code to − 1}: {@code input_ids}, {@code labels} [b, T] and
     * {@code padding} [b, T] (1 at padding) when any row is padded.
     */
    @Override
    public Batch draw(long step, int from, int to) {
        checkShards(from, to);
        Opened o = opened();
        List<int[]> inputs = new ArrayList<>(), labels = new ArrayList<>();
        for (int s = from; s < to; s++) {
            Generator gen = new Generator(Generator.mix(Generator.mix(seed, step), s));
            List<int[]> ids = new ArrayList<>();
            for (PretrainingWindows.Window w : o.shard(s, shards).next(rows(s), gen)) ids.add(LanguageModelPretraining.tokens(o.tokenizer, tags, w));
            Tensor padded = TokenRows.padded(ids, o.tokenizer.pad());                                  // [b_s, T_s]
            if (target == Target.MASKED) {
                MlmMasker.MaskedTensors m = o.masker.mask(padded, gen);
                split(m.inputIds(), inputs);
                split(m.labels(), labels);
            } else {
                CausalLanguageModelling.NextTokens next = CausalLanguageModelling.nextTokens(padded, o.tokenizer);
                split(next.inputs().contiguous(), inputs);
                split(next.targets(), labels);
            }
        }
        Tensor ids = TokenRows.padded(inputs, o.tokenizer.pad());                                     // [b, T]
        Map<String, Tensor> out = new LinkedHashMap<>(Map.of("input_ids", ids, "labels", TokenRows.padded(labels, Losses.IGNORE_INDEX)));
        Tensor padding = TokenRows.paddingMask(ids, o.tokenizer.pad());
        if (padding != null) out.put("padding", padding);
        return new Batch(out);
    }

    private static void split(Tensor rows, List<int[]> into) {
        int t = rows.size(1);
        int[] flat = rows.toIntArray();
        for (int i = 0; i < rows.size(0); i++) into.add(Arrays.copyOfRange(flat, i * t, (i + 1) * t));
    }
}

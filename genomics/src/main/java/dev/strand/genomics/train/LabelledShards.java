package dev.strand.genomics.train;

import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.io.Bases;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.nn.train.Batch;
import dev.strand.nn.train.ShardedData;
import dev.strand.tensor.Generator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Labelled training rows drawn shard by shard. Shard {@code s} owns every {@code shards}-th row
 * from row {@code s} (striped, so a file sorted by label gives every shard every label), and reads
 * them as an endless stream of epochs, each its own permutation of the shard's rows drawn from the
 * seed, the shard and the epoch; step {@code t} takes the next {@code rows(s)} rows of that stream.
 * A shard's rows are therefore a pure function of (step, shard): a replica draws its own, one process
 * draws them all, and both see the same rows. With reverse-complement augmentation each row of each
 * epoch is read from a strand drawn the same way.
 *
 * @param rows              the train rows, in file order
 * @param task              classification or regression
 * @param labelNames        the label columns
 * @param tokenizerJson     the tokenizer ({@link Tokenizers#toJson})
 * @param batching          padding and truncation
 * @param batch             rows in a global batch, shared among the shards as evenly as they go
 * @param shards            shards in a global batch
 * @param seed              seeds the epochs' orders and strands
 * @param reverseComplement read each row of each epoch from a random strand
 */
public record LabelledShards(List<LabelledDataset.Row> rows, LabelledDataset.Task task, List<String> labelNames, String tokenizerJson,
                             LabelledDataset.Batching batching, int batch, int shards, long seed, boolean reverseComplement) implements ShardedData {
    private static final long STRANDS = 0x57A2D5L;

    public LabelledShards {
        rows = List.copyOf(rows);
        labelNames = List.copyOf(labelNames);
        if (shards < 1 || batch < shards) throw new IllegalArgumentException("a batch of " + batch + " rows cannot be cut into " + shards + " data shards");
        if (rows.size() < shards) throw new IllegalArgumentException(rows.size() + " train rows cannot be cut into " + shards + " data shards");
    }

    /** What a process builds once to draw these shards: the tokenizer and each shard's rows. */
    private record Opened(Tokenizer tokenizer, List<List<LabelledDataset.Row>> shardRows, LabelledDataset empty) {}

    private static final Map<LabelledShards, Opened> OPENED = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<LabelledShards, Opened> eldest) {
            return size() > 2;
        }
    };

    private Opened opened() {
        synchronized (OPENED) {
            return OPENED.computeIfAbsent(this, d -> {
                List<List<LabelledDataset.Row>> striped = new ArrayList<>();
                for (int s = 0; s < d.shards; s++) {
                    List<LabelledDataset.Row> own = new ArrayList<>();
                    for (int i = s; i < d.rows.size(); i += d.shards) own.add(d.rows.get(i));
                    striped.add(own);
                }
                return new Opened(Tokenizers.fromJson(d.tokenizerJson), striped, LabelledDataset.of("train shards", d.task, d.labelNames, List.of()));
            });
        }
    }

    /** Rows of shard {@code s} in each step. */
    int rows(int s) {
        return ShardedData.split(batch, shards, s + 1) - ShardedData.split(batch, shards, s);
    }

    /** The rows shard {@code s} reads at step {@code step}. */
    List<LabelledDataset.Row> shardRows(long step, int s) {
        List<LabelledDataset.Row> own = opened().shardRows().get(s);
        int n = own.size(), b = rows(s);
        List<LabelledDataset.Row> out = new ArrayList<>(b);
        long epoch = -1;
        int[] order = null;
        long strandSeed = 0;
        for (long p = step * b; p < step * b + b; p++) {
            if (p / n != epoch) {
                epoch = p / n;
                long epochSeed = Generator.mix(Generator.mix(seed, s), epoch);
                order = LabelledDataset.permutation(n, new Generator(epochSeed));
                strandSeed = Generator.mix(epochSeed, STRANDS);
            }
            int at = (int) (p % n);
            LabelledDataset.Row r = own.get(order[at]);
            if (reverseComplement && Generator.uniformAt(strandSeed, at) < 0.5f) r = new LabelledDataset.Row(Bases.reverseComplement(r.sequence()), r.labels(), r.line());
            out.add(r);
        }
        return out;
    }

    /**
     * Shards {@code from} … {@code to − 1} of step {@code step}: {@code input_ids} [b, T], {@code
     * labels} (INT32 [b] classes or FLOAT32 [b, K] targets), and {@code padding} [b, T] (1 at
     * padding) when any row is padded.
     */
    @Override
    public Batch draw(long step, int from, int to) {
        checkShards(from, to);
        List<LabelledDataset.Row> drawn = new ArrayList<>();
        for (int s = from; s < to; s++) drawn.addAll(shardRows(step, s));
        Opened o = opened();
        return SupervisedObjective.toBatch(o.empty().batch(drawn, o.tokenizer(), batching));
    }
}

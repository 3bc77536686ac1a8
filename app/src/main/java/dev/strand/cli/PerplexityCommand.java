package dev.strand.cli;

import dev.strand.genomics.io.FastaGenome;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.genomics.train.StreamLikelihood;
import dev.strand.nn.transformer.GptModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Bits per base of a causal model over a stretch of a genome, read as one stream. */
@Command(name = "perplexity", mixinStandardHelpOptions = true,
        description = "Bits per base of a causal language model over a stretch of a genome, read as one stream: a model with recurrent "
                + "memory carries it across segments (in the memory of one segment, whatever the length), others read consecutive windows.")
final class PerplexityCommand extends StepCommand<StreamLikelihood.Result> {
    @Mixin DeviceOption device;
    @Mixin ModelOption model;
    @Mixin AdapterOption adapter;

    @Option(names = "--fasta", required = true, description = "Genome FASTA (plain, gzip or bgzip).")
    Path fasta;

    @Option(names = "--contig", description = "Contig to read (default: the first).")
    String contig;

    @Option(names = "--start", defaultValue = "0", description = "0-based first base (default ${DEFAULT-VALUE}).")
    int start;

    @Option(names = "--length", required = true, description = "Bases to read, e.g. 1000000.")
    int length;

    @Option(names = "--reset-memory", description = "Start every segment from the first memory instead of carrying it: the baseline "
            + "that shows what a model's recurrent memory carries.")
    boolean resetMemory;

    /** Bases fetched and tokenized at a time: the only buffer that holds DNA. */
    static final int PIECE = 49_152;

    @Override
    StreamLikelihood.Result execute() throws Exception {
        device.use();
        if (length < 2) throw new IllegalArgumentException("--length must be at least 2 bases, got " + length);
        if (!Files.isRegularFile(fasta)) throw new IllegalArgumentException("no FASTA file at " + fasta);
        PretrainedModel pretrained = adapter.onto(model.pretrained());
        try (FastaGenome genome = FastaGenome.open(fasta); HeapWatch heap = new HeapWatch()) {
            String name = contig != null ? contig : genome.contigs().getFirst();
            if (!genome.contigs().contains(name)) throw new IllegalArgumentException(fasta + " has no contig '" + name + "'; it has " + genome.contigs());
            int end = start + length;
            if (start < 0 || end > genome.length(name)) {
                throw new IllegalArgumentException(name + " has " + genome.length(name) + " bases; --start " + start + " --length " + length + " runs past its end");
            }
            GptModel gpt = pretrained.loadGpt();
            if (resetMemory) {
                if (gpt.memory == null) throw new IllegalArgumentException("--reset-memory needs a model with recurrent memory (pretrain --rmt)");
                gpt.memory.carryMemory(false);
            }
            StreamLikelihood stream = new StreamLikelihood(gpt, pretrained.tokenizer());
            ProgressBar bar = new ProgressBar("perplexity", length, "bases/s", System.err);
            long t0 = System.nanoTime();
            for (int from = start; from < end; from += PIECE) {
                int to = Math.min(end, from + PIECE);
                stream.add(genome.fetch(name, from, to).toUpperCase(Locale.ROOT));
                bar.update(to - start, to - start, Map.of());
            }
            StreamLikelihood.Result r = stream.finish();
            double seconds = (System.nanoTime() - t0) / 1e9;
            var memory = pretrained.config().memory();
            System.out.printf(Locale.ROOT, "%s:%d-%d, %,d bases (%s): %.3f bits per base, next-token accuracy %.3f (%,d tokens) in %.1f s%n",
                    name, start, end, r.bases(), memory == null ? "windows of " + pretrained.config().maxLength() + " tokens"
                            : "recurrent memory, " + memory.describe() + (resetMemory ? ", reset at every segment" : ""), r.bitsPerBase(), r.accuracy(), r.scored(), seconds);
            System.out.printf(Locale.ROOT, "peak heap in use after a full collection: %.1f MiB (of %.0f MiB allowed)%n",
                    heap.peakLiveBytes() / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);
            return r;
        }
    }
}

package dev.strand.cli;

import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.io.FastaGenome;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.train.MlmPretraining;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.TransformerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Masked-language-model pretraining on a FASTA file, with progress, metrics, checkpoints and resume. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pretrain a BERT-style masked language model on DNA from a FASTA file.")
final class PretrainCommand implements Callable<Integer> {
    @Option(names = "--fasta", required = true, description = "Genome FASTA (plain, gzip or bgzip).")
    Path fasta;

    @Option(names = "--out", defaultValue = "runs/pretrain", description = "Run directory: checkpoints, metrics.jsonl, tokenizer.json (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--tokenizer", defaultValue = "nucleotide", description = "nucleotide, kmer:K, nt6 or a saved tokenizer (default ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--window", defaultValue = "256", description = "Window length in bases (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--steps", defaultValue = "1000") int steps;
    @Option(names = "--batch", defaultValue = "16") int batch;
    @Option(names = "--dim", defaultValue = "128") int dim;
    @Option(names = "--layers", defaultValue = "4") int layers;
    @Option(names = "--heads", defaultValue = "4") int heads;
    @Option(names = "--positions", defaultValue = "ROPE", description = "LEARNED, SINUSOIDAL, ROPE or ALIBI (default ${DEFAULT-VALUE}).")
    Positions positions;
    @Option(names = "--lr", defaultValue = "1e-3") float lr;
    @Option(names = "--dropout", defaultValue = "0.1") float dropout;
    @Option(names = "--eval-every", defaultValue = "100") int evalEvery;
    @Option(names = "--checkpoint-every", defaultValue = "200") int checkpointEvery;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--resume", description = "Continue from the newest checkpoint in --out.") boolean resume;
    @Option(names = "--markov-order", defaultValue = "5", description = "Order of the Markov baseline reported beside the model (default ${DEFAULT-VALUE}).")
    int markovOrder;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(fasta)) throw new IllegalArgumentException("no FASTA file at " + fasta);
        Tokenizer tok = TokenizeCommand.parse(tokenizer);
        Files.createDirectories(out);
        if (!resume && dev.strand.nn.checkpoint.Checkpoint.latest(out) != null) {
            throw new IllegalArgumentException(out + " already holds a run; add --resume to continue it or choose another --out");
        }
        try (FastaGenome genome = FastaGenome.open(fasta)) {
            PretrainingWindows windows = new PretrainingWindows(List.of(genome), window, PretrainingWindows.HeldOut.lastFraction(0.1),
                    PretrainingWindows.NPolicy.SKIP_ANY);
            int tokens = tok.encodeWithSpecials("A".repeat(window)).length;
            TransformerConfig config = new TransformerConfig(tok.vocabSize(), dim, layers, heads, 4 * dim, tokens, dropout, true, positions, 1e-5f);
            MlmPretraining run = new MlmPretraining(config, tok, windows,
                    new MlmPretraining.Settings(steps, batch, lr, Math.max(1, steps / 20), evalEvery, checkpointEvery, 64, seed));
            if (resume && run.resume(out)) System.err.println("resuming " + out + " at step " + run.step());
            PretrainedModel.describe(out, tok, PretrainedModel.Objective.MLM);
            ProgressBar bar = new ProgressBar("pretrain", steps, "tok/s", System.err);
            long startTokens = (long) run.step() * batch * tokens;
            try (MetricsLog metrics = new MetricsLog(out.resolve("metrics.jsonl"))) {
                run.run(out, new MlmPretraining.Listener() {
                    @Override
                    public void step(int step, float loss, float lr, long seen) {
                        Map<String, Double> m = new LinkedHashMap<>();
                        m.put("loss", (double) loss);
                        bar.update(step, seen - startTokens, m);
                        metrics.log(step, "train", Map.of("loss", loss, "lr", lr));
                    }

                    @Override
                    public void validation(int step, MlmPretraining.Validation v) {
                        metrics.log(step, "valid", Map.of("masked_accuracy", v.maskedAccuracy(), "bits_per_base", v.bitsPerBase()));
                    }
                });
            }
            MlmPretraining.Validation v = run.validate();
            System.out.printf("validation: masked accuracy %.3f, %.3f bits per masked base (%d positions)%n", v.maskedAccuracy(), v.bitsPerBase(), v.scored());
            List<String> training = windows.trainRegions().stream()
                    .map(r -> genome.fetch(r.contig(), r.start(), r.end())).toList();
            System.out.printf("order-%d Markov baseline on the same held-out DNA: %.3f bits per base (next base from the %d before it)%n",
                    markovOrder, run.markovBaseline(markovOrder, training), markovOrder);
            System.out.printf("checkpoints, metrics.jsonl and tokenizer.json in %s%n", out);
        }
        return 0;
    }
}

package dev.strand.cli;

import dev.strand.genomics.data.PretrainingWindows;
import dev.strand.genomics.io.Genome;
import dev.strand.genomics.io.GenomeSource;
import dev.strand.genomics.io.Locations;
import dev.strand.genomics.metrics.MarkovBaseline;
import dev.strand.genomics.tokenize.BpeTokenizer;
import dev.strand.genomics.tokenize.BpeTrainer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.genomics.train.ControlTags;
import dev.strand.genomics.train.DataParallel;
import dev.strand.genomics.train.LanguageModelPretraining;
import dev.strand.genomics.train.LanguageModelPretraining.OptimizerKind;
import dev.strand.genomics.train.LanguageModelPretraining.ScheduleKind;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.genomics.train.PretrainedModel.Objective;
import dev.strand.nn.attention.AttentionConfig;
import dev.strand.nn.checkpoint.AtomicFiles;
import dev.strand.nn.checkpoint.Checkpoint;
import dev.strand.nn.checkpoint.RunLock;
import dev.strand.nn.transformer.Positions;
import dev.strand.nn.transformer.RecurrentMemory;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Masked or causal language-model pretraining on FASTA files, with control tags, progress, metrics, checkpoints and resume. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pretrain a DNA language model (BERT-style masked or GPT-style causal) on FASTA files.")
final class PretrainCommand extends StepCommand<PretrainCommand.Outcome> {
    @Mixin DeviceOption device;

    @Option(names = "--fasta", required = true, paramLabel = "FILE[:TAG,...]",
            description = "Genome FASTA (plain, gzip or bgzip); repeat for several. Tags after a colon condition its windows, "
                    + "e.g. dmel.fa:species=dmel.")
    List<String> fasta;

    @Option(names = "--train-fasta", paramLabel = "FILE[:TAG,...]",
            description = "FASTA used for training only, with no held-out part: e.g. a task's unlabelled training sequences, "
                    + "for task-adaptive pretraining. Validation stays on the --fasta files' held-out tenth (repeatable).")
    List<String> trainFasta = new ArrayList<>();

    @Mixin ControlTagOption tags;

    @Option(names = "--objective", defaultValue = "mlm", description = "mlm (BERT-style masked) or causal (GPT-style next token) (default ${DEFAULT-VALUE}).")
    String objective;

    @Option(names = "--out", defaultValue = "runs/pretrain", description = "Run directory: checkpoints, metrics.jsonl, tokenizer.json (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--tokenizer", defaultValue = "nucleotide",
            description = "nucleotide, kmer:K, nt6, bpe:V (BPE with a vocabulary of V learned from the training windows, DNABERT-2: 4096) "
                    + "or a saved tokenizer (default ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--window", defaultValue = "256", description = "Window length in bases (default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--steps", defaultValue = "1000") int steps;
    @Option(names = "--batch", defaultValue = "16") int batch;
    @Option(names = "--dim", defaultValue = "128", description = "Model width d (default ${DEFAULT-VALUE}).") int dim;
    @Option(names = "--layers", defaultValue = "4") int layers;
    @Option(names = "--heads", defaultValue = "4") int heads;
    @Option(names = "--positions", defaultValue = "ROPE", description = "LEARNED, SINUSOIDAL, ROPE or ALIBI (default ${DEFAULT-VALUE}).")
    Positions positions;
    @Option(names = "--attention", defaultValue = "dense", paramLabel = "SPEC", description = "dense, or bigbird[:block=64,window=3,global=2,random=3,"
            + "layout=gena|itc]: block-sparse attention for long windows, masked models only (default ${DEFAULT-VALUE}).")
    String attention;
    @Option(names = "--rmt", paramLabel = "SPEC", description = RmtSpec.DESCRIPTION + " Causal models only: each --window is read "
            + "as segments [MEM] chunk [MEM], and validation also reports the later segments' bits per base with the memory reset.")
    String rmt;
    @Option(names = "--lr", defaultValue = "1e-3", description = "Peak learning rate (default ${DEFAULT-VALUE}).") float lr;
    @Option(names = "--optimizer", defaultValue = "adamw", description = "adamw, adam or sgd (momentum 0.9) (default ${DEFAULT-VALUE}).")
    String optimizer;
    @Option(names = "--schedule", defaultValue = "cosine", description = "cosine, linear (both after warmup) or cyclic (default ${DEFAULT-VALUE}).")
    String schedule;
    @Option(names = "--warmup", description = "Warmup steps (default: 5 %% of --steps).") Integer warmup;
    @Option(names = "--dropout", defaultValue = "0.1") float dropout;
    @Option(names = "--eval-every", defaultValue = "100") int evalEvery;
    @Option(names = "--checkpoint-every", defaultValue = "200") int checkpointEvery;
    @Option(names = "--valid-windows", defaultValue = "64", description = "Held-out windows validated on (default ${DEFAULT-VALUE}).")
    int validWindows;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--resume", description = "Continue from the newest checkpoint in --out.") boolean resume;
    @Option(names = "--resume-weights-only", description = "Continue from the newest checkpoint's weights with a fresh optimizer "
            + "(for a checkpoint without optimizer.safetensors; the run is then no longer exact).")
    boolean resumeWeightsOnly;
    @Mixin DataParallelOptions parallel;
    @Option(names = "--markov-order", defaultValue = "5", description = "Order of the Markov baseline reported beside the model (default ${DEFAULT-VALUE}).")
    int markovOrder;

    /** Bases of training windows a {@code bpe:V} tokenizer is learned from (a few seconds). */
    static final long BPE_SAMPLE_BASES = 4_000_000;
    private static final long BPE_SEED = 0xB9EL;

    /** One --fasta or --train-fasta entry: the file (a path, or with --spark a URI Hadoop reads), its own tags (as tokens), and whether it is training-only. */
    record Source(String location, List<String> tags, boolean trainOnly) {
        static Source parse(String spec, List<String> common, boolean trainOnly, boolean uris) {
            int colon = spec.lastIndexOf(':');
            List<String> own = new ArrayList<>(common);
            String location = spec;
            if (colon > 0 && spec.indexOf('=', colon) > colon && !Files.exists(Path.of(spec))) {
                location = spec.substring(0, colon);
                for (String t : spec.substring(colon + 1).split(",")) own.add(ControlTags.token(t));
            }
            boolean uri = Locations.isUri(location);
            if (uri && !uris) throw new IllegalArgumentException(location + " is not a local file: FASTA on other file systems is read with --spark");
            if (!uri && !Files.isRegularFile(Path.of(location))) throw new IllegalArgumentException("no FASTA file at " + location);
            return new Source(location, List.copyOf(own), trainOnly);
        }
    }

    /** What a finished run reports: held-out validation and the Markov baseline on the same windows. */
    record Outcome(Path run, LanguageModelPretraining.Validation validation, int markovOrder, double markovBitsPerBase) {}

    @Override
    Outcome execute() throws Exception {
        // Every number is checked before any work, naming the option and the value given.
        requireAtLeast(1, "--steps", steps, "--batch", batch, "--window", window, "--dim", dim, "--layers", layers, "--heads", heads,
                "--valid-windows", validWindows);
        requireAtLeast(0, "--eval-every", evalEvery, "--checkpoint-every", checkpointEvery);
        if (dim % heads != 0) throw new IllegalArgumentException("--dim " + dim + " must be a multiple of --heads " + heads);
        if (markovOrder < 0 || markovOrder > MarkovBaseline.MAX_ORDER) {
            throw new IllegalArgumentException("--markov-order must be in [0, " + MarkovBaseline.MAX_ORDER + "], got " + markovOrder);
        }
        if (!(lr > 0 && Float.isFinite(lr))) throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        device.use();
        Objective obj = Objective.parse(objective);
        AttentionConfig attentionConfig = AttentionSpec.parse(attention);
        if (attentionConfig instanceof AttentionConfig.BigBird && obj != Objective.MLM) {
            throw new IllegalArgumentException("--attention bigbird is an encoder's attention: pretrain it with --objective mlm");
        }
        RecurrentMemory memory = RmtSpec.parse(rmt);
        if (memory != null && obj != Objective.CAUSAL) {
            throw new IllegalArgumentException("--rmt pretrains causal models (the decoder form, [MEM] chunk [MEM]): use --objective causal; "
                    + "masked models get memory when fine-tuned (finetune --rmt)");
        }
        parallel.check();
        List<String> common = tags.tokens();
        List<Source> sources = new ArrayList<>();
        for (String f : fasta) sources.add(Source.parse(f, common, false, parallel.spark != null));
        for (String f : trainFasta) sources.add(Source.parse(f, common, true, parallel.spark != null));
        List<String> allTags = sources.stream().flatMap(s -> s.tags().stream()).distinct().toList();
        int tagCount = sources.stream().mapToInt(s -> s.tags().size()).max().orElse(0);
        LanguageModelPretraining.Settings settings = new LanguageModelPretraining.Settings(obj, steps, batch, lr,
                warmup != null ? warmup : Math.max(1, steps / 20), OptimizerKind.parse(optimizer), ScheduleKind.parse(schedule),
                evalEvery, checkpointEvery, validWindows, seed);
        if (resumeWeightsOnly) resume = true;
        List<Genome> genomes = new ArrayList<>();
        try (RunLock lock = RunLock.acquire(out); HeapWatch heap = new HeapWatch();
             DataParallel engine = parallel.open()) {
            int leftovers = AtomicFiles.removeLeftoverTemps(out);
            if (leftovers > 0) System.err.println("removed " + leftovers + " unfinished write(s) of an interrupted run in " + out);
            List<GenomeSource> genomeSources = sources.stream()
                    .map(s -> engine == null ? GenomeSource.fasta(Path.of(s.location())) : engine.genome(s.location())).toList();
            for (GenomeSource g : genomeSources) genomes.add(g.open());
            List<PretrainingWindows.HeldOut> heldOut = sources.stream()
                    .map(s -> s.trainOnly() ? PretrainingWindows.HeldOut.none() : PretrainingWindows.HeldOut.lastFraction(0.1)).toList();
            PretrainingWindows windows = new PretrainingWindows(genomes, window, heldOut, PretrainingWindows.NPolicy.SKIP_ANY);
            Tokenizer tok = ControlTags.withTags(tokenizer(windows), allTags);
            checkRunDirectory(obj, tok);
            TransformerConfig config = LanguageModelPretraining.config(tok, window, tagCount, dim, layers, heads, positions, dropout)
                    .withAttention(attentionConfig).withMemory(memory);
            int shards = parallel.shards(engine);
            LanguageModelPretraining run = new LanguageModelPretraining(config, tok, windows, sources.stream().map(Source::tags).toList(), settings,
                    shards == 0 ? null : new LanguageModelPretraining.DataShards(genomeSources, shards));
            if (resume && run.resume(out, resumeWeightsOnly)) System.err.println("resuming " + out + " at step " + run.step()
                    + (resumeWeightsOnly ? " from its weights, with a fresh optimizer" : ""));
            MetricsLog.dropAfter(out.resolve("metrics.jsonl"), run.step());   // steps about to be redone, or a failed fresh start's
            PretrainedModel.describe(out, tok, obj);
            if (shards > 0) System.err.println("data: each batch drawn as " + shards + " shards, each from its own slice of the training DNA");
            if (engine == null) {
                train(run);
            } else {
                System.err.println("data parallel: " + engine.describe());
                train(run.onReplicas(engine));
            }
            long trainingHeap = heap.peakLiveBytes();
            Outcome outcome = report(run, obj, windows, genomes);
            System.out.printf(java.util.Locale.ROOT, "peak heap in use after a full collection while training: %.1f MiB%n", trainingHeap / 1048576.0);
            return outcome;
        } finally {
            for (Genome g : genomes) g.close();
        }
    }

    /**
     * The --tokenizer. {@code bpe:V} is learned from {@value #BPE_SAMPLE_BASES} bases (at most as
     * many as the training regions hold) of training windows drawn with their own seeded generator,
     * so the training stream is the same with any tokenizer; a resumed run reuses the vocabulary it
     * saved instead of learning it again.
     */
    private Tokenizer tokenizer(PretrainingWindows windows) throws java.io.IOException {
        if (!tokenizer.startsWith("bpe:")) return TokenizeCommand.parse(tokenizer);
        int vocab;
        try {
            vocab = Integer.parseInt(tokenizer.substring(4));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad tokenizer '" + tokenizer + "': use bpe:V with V the vocabulary size, e.g. bpe:4096");
        }
        Path saved = out.resolve("tokenizer.json");
        if (resume && Files.exists(saved) && Checkpoint.latest(out) != null) {
            Tokenizer kept = Tokenizers.load(saved);
            if (!(kept instanceof BpeTokenizer) || kept.vocabSize() - kept.controlTags().size() != vocab) {
                throw new IllegalArgumentException(out + " was trained with a " + kept + ", not " + tokenizer + "; resume with the same --tokenizer");
            }
            return kept;
        }
        List<String> sample = new ArrayList<>();
        Generator gen = new Generator(seed ^ BPE_SEED);
        long available = windows.trainRegions().stream().mapToLong(PretrainingWindows.Region::length).sum();
        for (long bases = 0; bases < Math.min(BPE_SAMPLE_BASES, available); bases += window) sample.add(windows.next(gen).sequence());
        BpeTrainer trainer = new BpeTrainer(vocab);
        BpeTokenizer bpe = trainer.train(sample);
        System.err.printf("learned %d BPE merges from %,d bases of training windows in %.1f s%n",
                bpe.mergeCount(), trainer.stats().letters(), trainer.stats().millis() / 1e3);
        return bpe;
    }

    /**
     * A fresh run needs an --out without checkpoints; a resumed one a complete newest checkpoint
     * (named by latest, with its optimizer state unless --resume-weights-only) and the same
     * objective and tokenizer.
     */
    private void checkRunDirectory(Objective obj, Tokenizer tok) throws Exception {
        Path latest = Checkpoint.latest(out);
        List<Path> steps = Checkpoint.stepFolders(out);
        if (latest == null && !steps.isEmpty()) {
            throw new IllegalArgumentException(out + " holds checkpoints (" + steps.get(steps.size() - 1).getFileName() + " the newest) but no 'latest' "
                    + "file naming the last complete one; write that name into " + out.resolve("latest") + " and add --resume, or choose another --out");
        }
        boolean hasRun = latest != null;
        if (!resume && hasRun) {
            throw new IllegalArgumentException(out + " already holds a run; add --resume to continue it or choose another --out");
        }
        if (!hasRun) return;
        if (!resumeWeightsOnly && !Files.exists(latest.resolve("optimizer.safetensors"))) {
            throw new IllegalArgumentException(latest + " has no optimizer.safetensors, which an exact resume needs; add --resume-weights-only "
                    + "to continue from its weights with a fresh optimizer, or choose another --out");
        }
        // What PretrainedModel.describe wrote beside the checkpoints, when it is there.
        Path objectiveFile = out.resolve("objective"), tokenizerFile = out.resolve("tokenizer.json");
        if (Files.exists(objectiveFile)) {
            Objective saved = Objective.parse(Files.readString(objectiveFile));
            if (saved != obj) {
                String word = saved.name().toLowerCase(java.util.Locale.ROOT);
                throw new IllegalArgumentException(out + " holds a " + word + " run; resume it with --objective " + word);
            }
        }
        if (Files.exists(tokenizerFile)) {
            Tokenizer saved = Tokenizers.load(tokenizerFile);
            if (!saved.equals(tok)) {
                throw new IllegalArgumentException(out + " was trained with a " + saved + ", not a " + tok
                        + "; resume with the same --tokenizer and tags");
            }
        }
    }

    private void train(LanguageModelPretraining run) throws java.io.IOException {
        try (MetricsLog metrics = new MetricsLog(out.resolve("metrics.jsonl"))) {
            TrainingProgress progress = new TrainingProgress("pretrain", "tok/s", metrics);
            run.run(out, new LanguageModelPretraining.Listener() {
                @Override
                public void step(StepReport report) {
                    progress.step(report);
                }

                @Override
                public void validation(int step, LanguageModelPretraining.Validation v) {
                    metrics.log(step, "valid", Map.of("loss", v.loss(), accuracyName(run.objective()), v.accuracy(), "bits_per_base", v.bitsPerBase()));
                    if (run.memory() != null) {
                        LanguageModelPretraining.MemoryEffect e = run.memoryEffect(v);
                        metrics.log(step, "memory", Map.of("later_segments_bits_per_base", e.carried(), "later_segments_bits_per_base_reset", e.reset(),
                                "segment_openings_bits_per_base", e.openingCarried(), "segment_openings_bits_per_base_reset", e.openingReset()));
                    }
                }
            });
        }
    }

    private static String accuracyName(Objective obj) {
        return obj == Objective.MLM ? "masked_accuracy" : "next_token_accuracy";
    }

    private Outcome report(LanguageModelPretraining run, Objective obj, PretrainingWindows windows, List<? extends Genome> genomes) {
        LanguageModelPretraining.Validation v = run.validate();
        if (obj == Objective.MLM) {
            System.out.printf("validation: masked accuracy %.3f, %.3f bits per masked base (%d positions)%n", v.accuracy(), v.bitsPerBase(), v.scored());
        } else {
            System.out.printf("validation: next-token loss %.3f nats, accuracy %.3f, %.3f bits per base (%d tokens)%n",
                    v.loss(), v.accuracy(), v.bitsPerBase(), v.scored());
        }
        if (run.memory() != null) {
            LanguageModelPretraining.MemoryEffect e = run.memoryEffect(v);
            System.out.printf("recurrent memory: %.3f bits per base on the segments after the first with the memory carried, %.3f with it reset "
                    + "at every segment (%d tokens); on their first %d tokens %.3f and %.3f%n", e.carried(), e.reset(), e.scored(),
                    LanguageModelPretraining.OPENING, e.openingCarried(), e.openingReset());
        }
        List<String> training = windows.trainRegions().stream()
                .map(r -> genomes.get(r.genome()).fetch(r.contig(), r.start(), r.end())).toList();
        double markov = run.markovBaseline(markovOrder, training);
        System.out.printf("order-%d Markov baseline on the same held-out DNA: %.3f bits per base (next base from the %d before it)%n",
                markovOrder, markov, markovOrder);
        System.out.printf("checkpoints, metrics.jsonl and tokenizer.json in %s%n", out);
        return new Outcome(out, v, markovOrder, markov);
    }

    /** Throws naming the first option (name, value pairs) below {@code min}. */
    private static void requireAtLeast(int min, Object... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            int value = (Integer) namesAndValues[i + 1];
            if (value < min) throw new IllegalArgumentException(namesAndValues[i] + " must be at least " + min + ", got " + value);
        }
    }
}

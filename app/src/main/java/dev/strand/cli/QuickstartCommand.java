package dev.strand.cli;

import dev.strand.genomics.attention.MotifFinder;
import dev.strand.genomics.baseline.KmerLogisticRegression;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.tasks.DebianData;
import dev.strand.genomics.tasks.PromoterTask;
import dev.strand.genomics.tasks.SpliceSiteTask;
import dev.strand.genomics.tasks.TaskData;
import dev.strand.genomics.train.FineTuning;
import dev.strand.genomics.variants.VariantScore;
import dev.strand.genomics.variants.VariantScorer;
import dev.strand.nn.checkpoint.AtomicFiles;
import dev.strand.nn.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job on real DNA, start to finish: pretrain a small masked language model on the fruit
 * fly's chromosome arm 2R and a megabase of human chromosome 22 (optionally with the promoter
 * task's unlabelled training sequences: task-adaptive pretraining); on two tasks, fly promoters
 * and fly splice sites, fine-tune the shipped pretrained checkpoint, this run's own short
 * pretraining and the shipped architecture from scratch, beside a k-mer logistic regression; score
 * the chr22 chunk's dbSNP variants zero-shot with the shipped model, look at the fine-tuned
 * promoter model's attention, and end with a summary. Each step is one of the other commands,
 * called with the arguments shown, so a user can rerun any step by hand. Running it again resumes
 * pretraining from its last checkpoint and redoes the later steps.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The main job on real DNA (about 15 minutes on 2 cores after the build, by CPU): pretrain, fine-tune against baselines "
                + "on promoters and splice sites, score variants, attention maps, summary.",
                "Inputs default to Debian's packages (augustus-doc, hisat2, r-bioc-biostrings), which ./strand quickstart installs."})
final class QuickstartCommand implements Callable<Integer> {
    private static final int RESAMPLES = 1000;

    @Mixin DeviceOption device;

    @Option(names = "--out", defaultValue = "runs/quickstart", description = "Where everything goes (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--pretrained", defaultValue = SHIPPED,
            description = "The pretrained checkpoint to fine-tune (a 'strand pretrain' run directory; default ${DEFAULT-VALUE}, shipped with Strand).")
    Path pretrained;

    /** The checkpoint that ships in the repository; models/README.md says how it was made. */
    static final String SHIPPED = "models/dna-6mer-small";

    @Option(names = "--genome", description = "Pretraining FASTA (repeatable; default: D. melanogaster chr2R and the human chr22 chunk). "
            + "Validation is on the last tenth of each.")
    List<Path> genomes;

    @Option(names = "--task-adaptive", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Also pretrain on the task's training sequences, without their labels (task-adaptive pretraining, "
                    + "Gururangan et al. 2020); test sequences never (default ${DEFAULT-VALUE}).")
    boolean taskAdaptive;

    @Option(names = "--task-data", description = "Labelled directory (train.csv, test.csv, optional dev.csv; label 1 = promoter) "
            + "instead of the promoter task built from Debian's files.")
    Path taskData;

    @Option(names = "--splice-data", description = "Labelled directory instead of the splice-site task built from Debian's files "
            + "(0 = neither, 1 = donor, 2 = acceptor).")
    Path spliceData;

    @Option(names = "--variants-fasta", description = "Reference of the variants (default: the human chr22:20-21 Mb chunk).")
    Path variantsFasta;

    @Option(names = "--variants", description = "HISAT2 SNP table of the variants (default: the chunk's dbSNP table).")
    Path variants;

    @Option(names = "--pretrain-steps", defaultValue = "300") int pretrainSteps;
    @Option(names = "--finetune-steps", defaultValue = "200",
            description = "Fine-tuning steps from the shipped checkpoint and from scratch (default ${DEFAULT-VALUE}).") int finetuneSteps;
    @Option(names = "--own-finetune-steps", defaultValue = "120",
            description = "Fine-tuning steps from this run's short pretraining (default ${DEFAULT-VALUE}).") int ownFinetuneSteps;
    @Option(names = "--finetune-lr", defaultValue = "2e-4") float finetuneLr;
    @Option(names = "--probe-rows", defaultValue = "1000",
            description = "Train rows the LP-FT probe is fitted on before fine-tuning, for every model (default ${DEFAULT-VALUE}).") int probeRows;
    @Option(names = "--window", defaultValue = "128", description = "Pretraining window in bases (default ${DEFAULT-VALUE}).") int window;
    @Option(names = "--dim", defaultValue = "64") int dim;
    @Option(names = "--layers", defaultValue = "4") int layers;
    @Option(names = "--heads", defaultValue = "4") int heads;
    @Option(names = "--batch", defaultValue = "32", description = "Pretraining batch; fine-tuning uses half (default ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--variant-window", defaultValue = "128", description = "Bases around each variant (default ${DEFAULT-VALUE}).") int variantWindow;
    @Option(names = "--attention-sequences", defaultValue = "3", description = "Test promoters drawn as heatmaps (default ${DEFAULT-VALUE}).") int drawn;
    @Option(names = "--motif-sequences", defaultValue = "150", description = "Test promoters and as many background windows searched for motifs (default ${DEFAULT-VALUE}).")
    int motifSequences;
    @Option(names = "--seed", defaultValue = "1") long seed;

    private static final int STEPS = 7;

    @Override
    public Integer call() throws Exception {
        device.use();
        long start = System.nanoTime();
        if (Checkpoint.latest(pretrained) == null) {
            throw new IllegalArgumentException("--pretrained " + pretrained + " holds no checkpoint (expected the shipped " + SHIPPED
                    + " or a 'strand pretrain' run directory)");
        }
        Files.createDirectories(out);
        DebianData debian = DebianData.standard();
        List<String> summary = new ArrayList<>();

        step(1, "real DNA");
        List<Path> corpus = genomes != null ? genomes : List.of(debian.locate(DebianData.CHR2R), debian.locate(DebianData.HUMAN_CHR22_CHUNK));
        Path chunk = variantsFasta != null ? variantsFasta : debian.locate(DebianData.HUMAN_CHR22_CHUNK);
        Path snps = variants != null ? variants : debian.locate(DebianData.HUMAN_CHR22_SNPS);
        Path task = taskData != null ? taskData : writeTask(() -> debian.promoters(PromoterTask.Config.defaults(seed)), out.resolve("promoters"));
        Path splice = spliceData != null ? spliceData
                : writeTask(() -> debian.spliceSites(SpliceSiteTask.Config.defaults(SpliceSiteTask.Mode.THREE_CLASS, seed)), out.resolve("splice-sites"));
        Path taskSequences = taskAdaptive ? writeTrainingSequences(task, out.resolve("task-train.fa")) : null;
        for (Path p : corpus) System.out.println("  pretraining on " + p);
        if (taskSequences != null) System.out.println("  and on the task's training sequences, without labels: " + taskSequences);
        System.out.println("  promoter task in " + task + ", splice-site task in " + splice + "; variants " + snps + " on " + chunk);
        System.out.println("  shipped pretrained checkpoint: " + pretrained);

        step(2, "pretrain a masked language model of its own, briefly");
        Path pretrainDir = out.resolve("pretrain");
        List<String> pretrainArgs = new ArrayList<>(List.of("--out", pretrainDir.toString(), "--steps", str(pretrainSteps),
                "--window", str(window), "--dim", str(dim), "--layers", str(layers), "--heads", str(heads), "--batch", str(batch),
                "--dropout", "0", "--eval-every", str(Math.max(1, pretrainSteps / 5)), "--checkpoint-every", str(Math.max(1, pretrainSteps / 5)), "--seed", str(seed)));
        for (Path p : corpus) pretrainArgs.addAll(List.of("--fasta", p.toString()));
        if (taskSequences != null) pretrainArgs.addAll(List.of("--train-fasta", taskSequences.toString()));
        if (Checkpoint.latest(pretrainDir) != null) pretrainArgs.add("--resume");
        PretrainCommand.Outcome pre = run(new PretrainCommand(), pretrainArgs);
        double bits = pre.validation().bitsPerBase();
        summary.add(String.format(Locale.ROOT, "pretraining (%d steps, d %d, %d layers%s): %.3f bits per masked base on held-out DNA; "
                        + "order-%d Markov baseline %.3f bits per base: the model is %s",
                pretrainSteps, dim, layers, taskSequences != null ? ", with the task's unlabelled training sequences" : "", bits, pre.markovOrder(), pre.markovBitsPerBase(),
                bits < pre.markovBitsPerBase() ? String.format(Locale.ROOT, "%.3f bits better", pre.markovBitsPerBase() - bits) : "NOT better"));

        step(3, "promoters: fine-tune the shipped checkpoint, this run's pretraining and the same architecture from scratch; a k-mer logistic regression");
        // A promoter is one whichever strand it is read from, so its rows are augmented with their reverse complements (chosen on dev).
        summary.addAll(compare("promoters vs background", task, "promoters", pretrainDir, true));
        step(4, "splice sites: the same four");
        // A donor read from the other strand is no donor: no augmentation here.
        summary.addAll(compare("splice sites (neither / donor / acceptor)", splice, "splice", pretrainDir, false));

        step(5, "score the chr22 chunk's dbSNP variants zero-shot with the shipped model");
        Path scores = out.resolve("variant_scores.tsv");
        VariantScorer.Result v = run(new ScoreVariantsCommand(), List.of("--model", pretrained.toString(), "--hisat-snps", snps.toString(),
                "--fasta", chunk.toString(), "--window", str(variantWindow), "--controls", "--seed", str(seed), "--out", scores.toString()));
        summary.add(String.format(Locale.ROOT, "variants: %d alleles scored (%s, %d-base windows), %d REF mismatches listed; AUROC of dbSNP against "
                        + "random substitutions at the same positions %.3f",
                v.count(VariantScore.Status.OK), v.method().label, v.windowBases(), v.count(VariantScore.Status.REF_MISMATCH), v.controlAuroc()));

        step(6, "attention of the promoter model fine-tuned from the shipped checkpoint: heatmaps, score tracks, motifs");
        Path attentionDir = out.resolve("attention");
        Path[] sets = motifSets(task, attentionDir);
        AttentionCommand.Outcome a = run(new AttentionCommand(), List.of("--model", out.resolve("finetune-promoters").toString(), "--fasta", sets[0].toString(),
                "--max", str(drawn), "--positives", sets[0].toString(), "--negatives", sets[1].toString(), "--out", attentionDir.toString()));
        summary.add(String.format(Locale.ROOT, "attention: heatmaps of every layer and head for %d test promoters; %d candidate regions in them; "
                        + "%d motifs enriched in %d promoters over %d background windows (DNABERT-viz)",
                a.drawn(), a.candidateRegions(), a.motifs().motifs().size(), motifSequences, motifSequences));
        for (MotifFinder.Motif m : a.motifs().motifs().subList(0, Math.min(5, a.motifs().motifs().size()))) {
            summary.add(String.format(Locale.ROOT, "  %-12s in %d promoters and %d background windows, q %.2g", m.motif(), m.positives(), m.negatives(), m.q()));
        }

        step(7, "summary");
        summary.add(String.format(Locale.ROOT, "files: %s (pretrain/, finetune-promoters*/, finetune-splice*/, variant_scores.tsv, attention/, summary.txt); "
                + "%.1f minutes in all", out, (System.nanoTime() - start) / 60e9));
        String text = String.join("\n", summary) + "\n";
        System.out.print(text);
        AtomicFiles.write(out.resolve("summary.txt"), text.getBytes(StandardCharsets.UTF_8));
        return 0;
    }

    /**
     * One task's table: the shipped checkpoint fine-tuned (with the 4-mer regression fitted on the
     * same split), this run's pretraining fine-tuned, and the shipped architecture from scratch;
     * then the paired-bootstrap verdicts.
     */
    private List<String> compare(String title, Path task, String name, Path ownPretraining, boolean reverseComplement) throws Exception {
        Path shippedDir = out.resolve("finetune-" + name), scratchDir = out.resolve("finetune-" + name + "-scratch"), ownDir = out.resolve("finetune-" + name + "-own");
        FinetuneCommand.Outcome shipped = run(new FinetuneCommand(), concat(finetuneArgs(task, finetuneSteps, reverseComplement), "--model", pretrained.toString(),
                "--out", fresh(shippedDir).toString(), "--baseline-k", "4"));
        FinetuneCommand.Outcome scratch = run(new FinetuneCommand(), concat(finetuneArgs(task, finetuneSteps, reverseComplement), "--model", pretrained.toString(),
                "--from-scratch", "--out", fresh(scratchDir).toString()));
        FinetuneCommand.Outcome own = run(new FinetuneCommand(), concat(finetuneArgs(task, ownFinetuneSteps, reverseComplement), "--model", ownPretraining.toString(),
                "--out", fresh(ownDir).toString()));
        LabelledDataset test = LabelledDataset.read(task.resolve("test.csv"), LabelledDataset.Task.CLASSIFICATION);
        TaskComparison.Arm fromShipped = arm("fine-tuned from the shipped checkpoint", shipped.result());
        TaskComparison.Arm fromScratch = arm("the same model from scratch", scratch.result());
        TaskComparison.Arm fromOwn = arm("fine-tuned from this run's pretraining", own.result());
        KmerLogisticRegression.Result k = shipped.baseline();
        TaskComparison.Arm kmers = new TaskComparison.Arm(k.k() + "-mer logistic regression", k.dev(), k.test(), k.testOutputs());
        int classes = k.testOutputs().length / test.size();
        return new TaskComparison(title, test.classLabels(), classes, RESAMPLES, seed).summary(List.of(fromShipped, fromOwn, fromScratch), kmers, fromShipped, fromScratch);
    }

    private List<String> finetuneArgs(Path task, int steps, boolean reverseComplement) {
        List<String> args = new ArrayList<>(List.of("--data", task.toString(), "--steps", str(steps), "--batch", str(Math.max(1, batch / 2)),
                "--lr", Float.toString(finetuneLr), "--dropout", "0", "--pooling", "mean", "--head-norm", "--probe-rows", str(probeRows),
                "--eval-every", str(Math.max(1, steps / 4)), "--patience", "0", "--seed", str(seed)));
        if (reverseComplement) args.add("--reverse-complement");
        return args;
    }

    private static TaskComparison.Arm arm(String label, FineTuning.Result r) {
        return new TaskComparison.Arm(label, r.bestDev(), r.test(), r.testOutputs());
    }

    /**
     * Parses {@code args} (and this run's --device) into {@code command} with its declared
     * defaults, shows the command line and runs it.
     */
    private <R> R run(StepCommand<R> command, List<String> stepArgs) throws Exception {
        List<String> args = concat(stepArgs, "--device", device.device);
        CommandLine.populateCommand(command, args.toArray(String[]::new));
        System.out.println("  $ strand " + new CommandLine(command).getCommandName() + " " + String.join(" ", args));
        return command.execute();
    }

    /** A task from Debian's files, written as train/dev/test CSVs (so 'strand finetune --data' can rerun it); kept when already there. */
    private static Path writeTask(Supplier<TaskData> build, Path dir) throws IOException {
        if (Stream.of("train.csv", "dev.csv", "test.csv").allMatch(f -> Files.isRegularFile(dir.resolve(f)))) return dir;
        TaskData task = build.get();
        task.assertNoOverlap();
        task.writeCsv(dir);
        System.out.println("  " + task.summary().replace("\n", "\n  "));
        return dir;
    }

    /**
     * The sequences of the task's train.csv as FASTA, one record per row, labels dropped: what
     * task-adaptive pretraining reads. Rewritten (and its stale .fai index dropped) when the task
     * changed, so it always matches the task.
     */
    private static Path writeTrainingSequences(Path task, Path fasta) throws IOException {
        LabelledDataset train = LabelledDataset.read(task.resolve("train.csv"), LabelledDataset.Task.CLASSIFICATION);
        StringBuilder text = new StringBuilder();
        for (LabelledDataset.Row r : train.rows()) text.append(">train").append(r.line()).append('\n').append(r.sequence()).append('\n');
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (Files.isRegularFile(fasta) && Arrays.equals(Files.readAllBytes(fasta), bytes)) return fasta;
        Files.deleteIfExists(fasta.resolveSibling(fasta.getFileName() + ".fai"));
        AtomicFiles.write(fasta, bytes);
        return fasta;
    }

    /** FASTA files of test promoters and of as many test background windows, for the attention step. */
    private Path[] motifSets(Path task, Path dir) throws IOException {
        LabelledDataset test = LabelledDataset.read(task.resolve("test.csv"), LabelledDataset.Task.CLASSIFICATION);
        StringBuilder pos = new StringBuilder(), neg = new StringBuilder();
        int np = 0, nn = 0;
        for (LabelledDataset.Row r : test.rows()) {
            boolean positive = r.classLabel() == 1;
            if (positive ? np++ >= motifSequences : nn++ >= motifSequences) continue;
            (positive ? pos : neg).append('>').append(positive ? "promoter" : "background").append(r.line()).append('\n').append(r.sequence()).append('\n');
        }
        Files.createDirectories(dir);
        Path p = dir.resolve("promoters.fa"), n = dir.resolve("background.fa");
        AtomicFiles.write(p, pos.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(n, neg.toString().getBytes(StandardCharsets.UTF_8));
        return new Path[] {p, n};
    }

    /** Removes a previous quickstart's output of a step that is redone. */
    private static Path fresh(Path dir) throws IOException {
        AtomicFiles.deleteTree(dir);
        return dir;
    }

    private static void step(int n, String what) {
        System.out.printf("%n[%d/%d] %s%n", n, STEPS, what);
    }

    private static String str(int v) {
        return Integer.toString(v);
    }

    private static String str(long v) {
        return Long.toString(v);
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }
}

package dev.strand.cli;

import dev.strand.genomics.attention.MotifFinder;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.metrics.PairedBootstrap;
import dev.strand.genomics.metrics.TaskScores;
import dev.strand.genomics.tasks.DebianData;
import dev.strand.genomics.tasks.PromoterTask;
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
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job on real DNA, start to finish: pretrain a small masked language model on the fruit
 * fly's chromosome arm 2R and a megabase of human chromosome 22 (optionally with the promoter
 * task's unlabelled training sequences: task-adaptive pretraining), fine-tune it to recognise fly
 * promoters (against the same model trained from scratch and a k-mer logistic regression), score
 * the chr22 chunk's dbSNP variants zero-shot, look at the fine-tuned model's attention, and end
 * with a summary. Each step is one of the other commands, called with the arguments shown, so a
 * user can rerun any step by hand. Running it again resumes pretraining from its last checkpoint
 * and redoes the later steps.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The main job on real DNA (5 to 15 minutes on 2 cores after the build, by CPU): pretrain, fine-tune against baselines, "
                + "score variants, attention maps, summary.",
                "Inputs default to Debian's packages (augustus-doc, hisat2, r-bioc-biostrings), which ./strand quickstart installs."})
final class QuickstartCommand implements Callable<Integer> {
    private static final int RESAMPLES = 1000;

    @Mixin DeviceOption device;

    @Option(names = "--out", defaultValue = "runs/quickstart", description = "Where everything goes (default ${DEFAULT-VALUE}).")
    Path out;

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

    @Option(names = "--variants-fasta", description = "Reference of the variants (default: the human chr22:20-21 Mb chunk).")
    Path variantsFasta;

    @Option(names = "--variants", description = "HISAT2 SNP table of the variants (default: the chunk's dbSNP table).")
    Path variants;

    @Option(names = "--pretrain-steps", defaultValue = "300") int pretrainSteps;
    /** The LoRA row's adapters: DNABERT-2's benchmark settings for the Nucleotide Transformer baselines. */
    static final String LORA = "r=8,alpha=16,dropout=0.05,targets=query,key,value,dense";

    @Option(names = "--finetune-steps", defaultValue = "160") int finetuneSteps;
    @Option(names = "--finetune-lr", defaultValue = "2e-4") float finetuneLr;
    @Option(names = "--lora-lr", defaultValue = "3e-3",
            description = "Learning rate of the LoRA fine-tuning row (default ${DEFAULT-VALUE}, chosen on dev).") float loraLr;
    @Option(names = "--probe-rows", defaultValue = "1000",
            description = "Train rows the LP-FT probe is fitted on before fine-tuning, for both models (default ${DEFAULT-VALUE}).") int probeRows;
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

    @Override
    public Integer call() throws Exception {
        device.use();
        long start = System.nanoTime();
        Files.createDirectories(out);
        DebianData debian = DebianData.standard();
        List<String> summary = new ArrayList<>();

        step(1, "real DNA");
        List<Path> corpus = genomes != null ? genomes : List.of(debian.locate(DebianData.CHR2R), debian.locate(DebianData.HUMAN_CHR22_CHUNK));
        Path chunk = variantsFasta != null ? variantsFasta : debian.locate(DebianData.HUMAN_CHR22_CHUNK);
        Path snps = variants != null ? variants : debian.locate(DebianData.HUMAN_CHR22_SNPS);
        Path task = taskData != null ? taskData : writePromoterTask(debian, out.resolve("promoters"));
        Path taskSequences = taskAdaptive ? writeTrainingSequences(task, out.resolve("task-train.fa")) : null;
        for (Path p : corpus) System.out.println("  pretraining on " + p);
        if (taskSequences != null) System.out.println("  and on the task's training sequences, without labels: " + taskSequences);
        System.out.println("  promoter task in " + task + "; variants " + snps + " on " + chunk);

        step(2, "pretrain a masked language model");
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

        step(3, "fine-tune on promoters, against training from scratch, LoRA adapters and a k-mer logistic regression");
        Path tunedDir = out.resolve("finetune"), scratchDir = out.resolve("finetune-scratch"), loraDir = out.resolve("finetune-lora");
        List<String> finetuneArgs = List.of("--data", task.toString(), "--steps", str(finetuneSteps), "--batch", str(Math.max(1, batch / 2)),
                "--lr", Float.toString(finetuneLr), "--dropout", "0", "--pooling", "mean", "--head-norm", "--probe-rows", str(probeRows),
                "--eval-every", str(Math.max(1, finetuneSteps / 2)), "--patience", "0", "--seed", str(seed));
        FinetuneCommand.Outcome tuned = run(new FinetuneCommand(), concat(finetuneArgs, "--model", pretrainDir.toString(),
                "--out", fresh(tunedDir).toString(), "--baseline-k", "4"));
        FinetuneCommand.Outcome scratch = run(new FinetuneCommand(), concat(finetuneArgs, "--model", pretrainDir.toString(),
                "--from-scratch", "--out", fresh(scratchDir).toString()));
        List<String> loraArgs = new ArrayList<>(finetuneArgs);
        loraArgs.set(loraArgs.indexOf("--lr") + 1, Float.toString(loraLr));
        FinetuneCommand.Outcome lora = run(new FinetuneCommand(), concat(loraArgs, "--model", pretrainDir.toString(),
                "--lora", LORA, "--out", fresh(loraDir).toString()));
        TaskScores t = tuned.result().test(), s = scratch.result().test(), k = tuned.baseline().test(), l = lora.result().test();
        summary.add(String.format(Locale.ROOT, "promoters vs background, test set of %d: accuracy / F1 / MCC / AUROC", t.n()));
        summary.add(String.format(Locale.ROOT, "  fine-tuned from pretraining  %s", triple(t)));
        summary.add(String.format(Locale.ROOT, "  same model from scratch      %s", triple(s)));
        summary.add(String.format(Locale.ROOT, "  LoRA on the frozen encoder   %s  (r 8 on query, key, value, dense: %.1f %% of the parameters trained; %.0f s, full fine-tuning %.0f s)",
                triple(l), 100 * lora.result().trainableShare(), lora.result().seconds(), tuned.result().seconds()));
        summary.add(String.format(Locale.ROOT, "  4-mer logistic regression    %s", triple(k)));
        summary.addAll(pretrainingVerdict(task, tuned.result(), scratch.result()));

        step(4, "score the chr22 chunk's dbSNP variants zero-shot");
        Path scores = out.resolve("variant_scores.tsv");
        VariantScorer.Result v = run(new ScoreVariantsCommand(), List.of("--model", pretrainDir.toString(), "--hisat-snps", snps.toString(),
                "--fasta", chunk.toString(), "--window", str(variantWindow), "--controls", "--seed", str(seed), "--out", scores.toString()));
        summary.add(String.format(Locale.ROOT, "variants: %d alleles scored (%s, %d-base windows), %d REF mismatches listed; AUROC of dbSNP against "
                        + "random substitutions at the same positions %.3f",
                v.count(VariantScore.Status.OK), v.method().label, v.windowBases(), v.count(VariantScore.Status.REF_MISMATCH), v.controlAuroc()));

        step(5, "attention of the fine-tuned model: heatmaps, score tracks, motifs");
        Path attentionDir = out.resolve("attention");
        Path[] sets = motifSets(task, attentionDir);
        AttentionCommand.Outcome a = run(new AttentionCommand(), List.of("--model", tunedDir.toString(), "--fasta", sets[0].toString(),
                "--max", str(drawn), "--positives", sets[0].toString(), "--negatives", sets[1].toString(), "--out", attentionDir.toString()));
        summary.add(String.format(Locale.ROOT, "attention: heatmaps of every layer and head for %d test promoters; %d candidate regions in them; "
                        + "%d motifs enriched in %d promoters over %d background windows (DNABERT-viz)",
                a.drawn(), a.candidateRegions(), a.motifs().motifs().size(), motifSequences, motifSequences));
        for (MotifFinder.Motif m : a.motifs().motifs().subList(0, Math.min(5, a.motifs().motifs().size()))) {
            summary.add(String.format(Locale.ROOT, "  %-12s in %d promoters and %d background windows, q %.2g", m.motif(), m.positives(), m.negatives(), m.q()));
        }

        step(6, "summary");
        summary.add(String.format(Locale.ROOT, "files: %s (pretrain/, finetune/, finetune-scratch/, finetune-lora/, variant_scores.tsv, attention/, summary.txt); "
                + "%.1f minutes in all", out, (System.nanoTime() - start) / 60e9));
        String text = String.join("\n", summary) + "\n";
        System.out.print(text);
        AtomicFiles.write(out.resolve("summary.txt"), text.getBytes(StandardCharsets.UTF_8));
        return 0;
    }

    /**
     * Whether fine-tuning from pretraining beat training from scratch, with a paired bootstrap over
     * the test rows: "helps" only when the whole 95 % interval of the MCC gain is above zero.
     */
    private List<String> pretrainingVerdict(Path task, FineTuning.Result tuned, FineTuning.Result scratch) throws IOException {
        int[] labels = LabelledDataset.read(task.resolve("test.csv"), LabelledDataset.Task.CLASSIFICATION).classLabels();
        int classes = tuned.testOutputs().length / labels.length;
        Map<String, PairedBootstrap.Difference> gain = PairedBootstrap.classification(labels, tuned.testOutputs(), scratch.testOutputs(), classes, RESAMPLES, seed);
        PairedBootstrap.Difference mcc = gain.get("mcc"), auroc = gain.get("auroc");
        String verdict = mcc.clearlyAhead() ? "pretraining helps"
                : mcc.observed() > 0 ? "pretraining is ahead, but within test-set noise" : "pretraining does NOT help here";
        return List.of(String.format(Locale.ROOT, "  %s: %+.3f MCC (95%% interval %+.3f to %+.3f), %+.3f AUROC (%+.3f to %+.3f) over training from scratch",
                        verdict, mcc.observed(), mcc.low(), mcc.high(), auroc.observed(), auroc.low(), auroc.high()),
                String.format(Locale.ROOT, "  (paired bootstrap over the %d test rows, %d resamples; ahead in %.0f %% of them)",
                        labels.length, RESAMPLES, 100 * mcc.shareAhead()));
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

    /** The promoter task from Debian's files, written as train/dev/test CSVs (so 'strand finetune --data' can rerun it). */
    private Path writePromoterTask(DebianData debian, Path dir) throws IOException {
        if (Stream.of("train.csv", "dev.csv", "test.csv").allMatch(f -> Files.isRegularFile(dir.resolve(f)))) return dir;
        TaskData task = debian.promoters(PromoterTask.Config.defaults(seed));
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
        System.out.printf("%n[%d/6] %s%n", n, what);
    }

    private static String triple(TaskScores s) {
        return String.format(Locale.ROOT, "%.3f / %.3f / %.3f / %.3f", s.get("accuracy"), s.get("f1"), s.get("mcc"), s.get("auroc"));
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

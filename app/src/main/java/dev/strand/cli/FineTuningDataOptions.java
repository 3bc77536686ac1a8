package dev.strand.cli;

import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.io.Locations;
import dev.strand.genomics.tasks.DebianData;
import dev.strand.genomics.tasks.PromoterTask;
import dev.strand.genomics.tasks.SpliceSiteTask;
import dev.strand.genomics.tasks.FineTuningData;
import dev.strand.genomics.train.DataParallel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where {@code strand finetune}'s labelled data comes from: a built-in task ({@code --task}), a
 * GUE-layout directory ({@code --data}) or separate files ({@code --train}, {@code --test},
 * optionally {@code --dev}), and whether the labels are classes or {@code --regression} targets.
 */
final class FineTuningDataOptions {
    /** Seed of the task build and of the dev cut, fixed so runs with different --seed share one split. */
    static final long SPLIT_SEED = 1;

    @Option(names = "--task", description = "A built-in task from Debian's D. melanogaster files: promoters (300 bp), "
            + "promoters-2k (2 kb upstream of each TSS against 2 kb windows, dev split by blocks) or splice-sites "
            + "(r-bioc-biostrings is found where $STRAND_DATA, default ~/.cache/strand/debian, says it was extracted).")
    String task;

    @Option(names = "--data", description = "A directory with train.csv, test.csv and optionally dev.csv (GUE layout: sequence,label).")
    Path dataDir;

    @Option(names = "--train", description = "Train CSV/TSV (with --test, optionally --dev); with --spark also a URI Hadoop reads (hdfs://, s3a://).")
    String train;
    @Option(names = "--dev", description = "Dev CSV/TSV; without one, 10 %% of train is held out.") String dev;
    @Option(names = "--test", description = "Test CSV/TSV.") String test;

    @Option(names = "--regression", description = "Labels are float targets (MSE, Pearson) instead of classes.")
    boolean regression;

    /**
     * The labelled data from exactly one of --task, --data, or --train/--test; files at URIs are read
     * through {@code engine} (null: local files only).
     */
    FineTuningData read(DataParallel engine) throws IOException {
        int sources = (task != null ? 1 : 0) + (dataDir != null ? 1 : 0) + (train != null || test != null || dev != null ? 1 : 0);
        if (sources != 1) throw new IllegalArgumentException("give one data source: --task promoters|promoters-2k|splice-sites, --data DIR, or --train FILE --test FILE [--dev FILE]");
        LabelledDataset.Task kind = regression ? LabelledDataset.Task.REGRESSION : LabelledDataset.Task.CLASSIFICATION;
        if (task != null) {
            if (regression) throw new IllegalArgumentException("--task " + task + " is a classification task; drop --regression");
            DebianData debian = DebianData.standard();
            return switch (task) {
                case "promoters" -> FineTuningData.of(debian.promoters(PromoterTask.Config.defaults(SPLIT_SEED)), FineTuningData.DEFAULT_DEV_FRACTION, SPLIT_SEED);
                case "promoters-2k" -> FineTuningData.of(debian.promoters(PromoterTask.Config.defaults2k(SPLIT_SEED)), FineTuningData.DEFAULT_DEV_FRACTION, SPLIT_SEED);
                case "splice-sites" -> FineTuningData.of(debian.spliceSites(SpliceSiteTask.Config.defaults(SpliceSiteTask.Mode.THREE_CLASS, SPLIT_SEED)),
                        FineTuningData.DEFAULT_DEV_FRACTION, SPLIT_SEED);
                default -> throw new IllegalArgumentException("unknown --task '" + task + "': use promoters, promoters-2k or splice-sites");
            };
        }
        if (dataDir != null) {
            if (!Files.isDirectory(dataDir)) throw new IllegalArgumentException("--data " + dataDir + " is not a directory (expected train.csv, test.csv, dev.csv)");
            for (String f : List.of("train.csv", "test.csv")) {
                if (!Files.isRegularFile(dataDir.resolve(f))) throw new IllegalArgumentException(dataDir + " has no " + f + " (expected train.csv, test.csv and optionally dev.csv)");
            }
            return FineTuningData.of(dataDir.getFileName().toString(), LabelledDataset.readDirectory(dataDir, kind), SPLIT_SEED);
        }
        if (train == null || test == null) throw new IllegalArgumentException("--train and --test go together (and --dev is optional)");
        LabelledDataset tr = table(train, kind, engine), dv = dev == null ? null : table(dev, kind, engine), te = table(test, kind, engine);
        return FineTuningData.of(train.substring(train.lastIndexOf('/') + 1), LabelledDataset.splits(tr, dv, te), SPLIT_SEED);
    }

    /** A local file, or with an engine a URI it reads. */
    private static LabelledDataset table(String location, LabelledDataset.Task kind, DataParallel engine) throws IOException {
        if (engine != null && Locations.isUri(location)) return LabelledDataset.read(location, engine.openFile(location), kind);
        if (Files.isRegularFile(Path.of(location))) return LabelledDataset.read(Path.of(location), kind);
        throw new IllegalArgumentException("no such file: " + location + (engine == null && location.contains(":") ? " (files on other file systems are read with --spark)" : ""));
    }
}

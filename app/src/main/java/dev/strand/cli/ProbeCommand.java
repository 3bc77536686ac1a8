package dev.strand.cli;

import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.metrics.TaskScores;
import dev.strand.genomics.train.LayerProbe;
import dev.strand.genomics.train.FineTunedModel;
import dev.strand.genomics.train.SavedModel;
import dev.strand.nn.checkpoint.AtomicFiles;
import dev.strand.nn.transformer.Encoder;
import dev.strand.nn.transformer.Transformer;
import dev.strand.tensor.Generator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Layer-wise linear probes of a saved encoder (pretrained or fine-tuned, with or without adapters), beside a random encoder of the same shape. */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"What an encoder's layers hold about a classification task: a logistic regression on the mean hidden "
                + "state after each layer, fitted on train.csv and scored on test.csv, beside the same probes of a randomly initialised encoder."})
final class ProbeCommand implements Callable<Integer> {
    @Mixin DeviceOption device;

    @Mixin ModelOption model;

    @Mixin AdapterOption adapter;

    @Option(names = "--data", required = true, description = "Directory with train.csv and test.csv (sequence,label).")
    Path data;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random encoder (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Also write the table to this TSV file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (out != null) OutputPath.check("--out", out, new Path[0], model.path(), adapter.adapter, data);
        device.use();
        SavedModel saved = adapter.onto(model.saved());
        LabelledDataset train = read("train.csv"), test = read("test.csv");
        Encoder encoder = saved.loadEncoder(), random = new Transformer(saved.config(), new Generator(seed));
        List<TaskScores> p = LayerProbe.run(encoder, saved.tokenizer(), train, test);
        List<TaskScores> r = LayerProbe.run(random, saved.tokenizer(), train, test);
        StringBuilder tsv = new StringBuilder("state\tmodel_accuracy\tmodel_mcc\tmodel_auroc\trandom_accuracy\trandom_mcc\trandom_auroc\n");
        System.out.printf(Locale.ROOT, "linear probes of %s on %d train rows, test set of %d: accuracy / MCC / AUROC%n", saved.checkpoint(), train.size(), test.size());
        System.out.printf(Locale.ROOT, "  %-12s %-23s %s%n", "state", saved instanceof FineTunedModel ? "fine-tuned" : "pretrained", "random");
        for (int s = 0; s < p.size(); s++) {
            String name = s == 0 ? "embeddings" : "layer " + s;
            System.out.printf(Locale.ROOT, "  %-12s %s   %s%n", name, triple(p.get(s), " / "), triple(r.get(s), " / "));
            tsv.append(name).append('\t').append(triple(p.get(s), "\t")).append('\t').append(triple(r.get(s), "\t")).append('\n');
        }
        if (out != null) {
            AtomicFiles.write(out, tsv.toString().getBytes(StandardCharsets.UTF_8));
            System.out.println("table in " + out);
        }
        return 0;
    }

    private LabelledDataset read(String name) throws IOException {
        Path file = data.resolve(name);
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(data + " has no " + name + "; probe needs train.csv and test.csv");
        return LabelledDataset.read(file, LabelledDataset.Task.CLASSIFICATION);
    }

    private static String triple(TaskScores s, String sep) {
        return String.format(Locale.ROOT, "%.3f%s%.3f%s%.3f", s.get("accuracy"), sep, s.get("mcc"), sep, s.get("auroc"));
    }
}

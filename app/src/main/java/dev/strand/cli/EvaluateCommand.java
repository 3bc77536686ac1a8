package dev.strand.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.metrics.TaskScores;
import dev.strand.genomics.train.FineTunedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Scores a fine-tuned model on a labelled file. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a fine-tuned model on labelled data; print and save the metrics.")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin DeviceOption device;

    @Mixin ModelOption model;

    @Option(names = "--data", required = true, description = "A CSV/TSV file (sequence,label), or a directory whose test.csv is scored.")
    Path data;

    @Option(names = "--out", description = "Also write the metrics to this JSON file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (out != null) OutputPath.check("--out", out, new Path[] {data}, model.path(), Files.isDirectory(data) ? data : null);
        device.use();
        FineTunedModel fineTuned = model.fineTuned();
        Path file = Files.isDirectory(data) ? data.resolve("test.csv") : data;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(Files.isDirectory(data) ? data + " has no test.csv to score" : "no such file: " + data);
        }
        LabelledDataset rows = LabelledDataset.read(file, fineTuned.head().taskKind());
        TaskScores scores = fineTuned.evaluate(rows);
        System.out.println(file + " (" + rows.size() + " rows, " + fineTuned.head().task() + " " + fineTuned.head().labels() + "): " + scores);
        if (out != null) {
            ObjectNode o = ScoresJson.of(scores);
            o.put("model", fineTuned.checkpoint().toString());
            o.put("data", file.toString());
            ScoresJson.write(out, o);
            System.out.println("metrics in " + out);
        }
        return 0;
    }
}

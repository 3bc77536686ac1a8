package dev.strand.cli;

import dev.strand.genomics.generate.DnaGenerator;
import dev.strand.genomics.train.LanguageModelPretraining;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.nn.checkpoint.AtomicFiles;
import dev.strand.nn.generate.Sampler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Samples DNA from a causal model made by {@code strand pretrain --objective causal}. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Sample DNA from a causal language model, conditioned on control tags, into a FASTA file.")
final class GenerateCommand implements Callable<Integer> {
    @Mixin DeviceOption device;

    @Mixin ModelOption model;

    @Mixin AdapterOption adapter;

    @Mixin ControlTagOption tags;

    @Option(names = "--prompt", defaultValue = "", description = "Bases every sample starts with.")
    String prompt;

    @Option(names = "--length", defaultValue = "200", description = "New bases per sample (default ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--count", defaultValue = "4", description = "Samples (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--temperature", defaultValue = "1.0", description = "Softmax temperature; 0 is greedy (default ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "Sample among the k likeliest tokens only; 0 for all (default ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling: the likeliest tokens whose probability reaches p (default ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--seed", defaultValue = "1", description = "Seed; the same seed gives the same FASTA (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "FASTA file to write (atomically).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Sampler sampler;   // checked before the model is loaded
        try {
            sampler = new Sampler(temperature, topK, topP);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad sampling settings (--temperature " + temperature + ", --top-k " + topK
                    + ", --top-p " + topP + "): " + e.getMessage());
        }
        OutputPath.check("--out", out, new Path[0], model.path(), adapter.adapter);
        device.use();
        PretrainedModel pretrained = adapter.onto(model.pretrained());
        DnaGenerator generator = new DnaGenerator(pretrained.loadGpt(), pretrained.tokenizer());
        DnaGenerator.Settings settings = new DnaGenerator.Settings(tags.tokens(), prompt, length, count, sampler, seed);
        int tokens = LanguageModelPretraining.maxTokens(pretrained.tokenizer(), prompt.length() + length, settings.tags().size());
        TrainedLength.noteIfBeyond(pretrained.config(), tokens, "samples");
        ProgressBar bar = new ProgressBar("generate", length, "bases/s", System.err);
        List<DnaGenerator.Sample> samples = generator.generate(settings, (bases, total) -> bar.update(bases, (long) bases * count, Map.of()));
        AtomicFiles.write(out, DnaGenerator.fasta(samples, settings, pretrained.checkpoint().toString()).getBytes(StandardCharsets.UTF_8));
        long gc = 0, all = 0;
        for (DnaGenerator.Sample s : samples) {
            String seq = s.sequence().substring(settings.prompt().length());
            for (int i = 0; i < seq.length(); i++) if (seq.charAt(i) == 'G' || seq.charAt(i) == 'C') gc++;
            all += seq.length();
        }
        System.out.printf("wrote %d samples of %d new bases to %s (tags %s; GC content of the new bases %.1f %%)%n", count, length, out,
                settings.tags().isEmpty() ? "none" : String.join(" ", settings.tags()), 100.0 * gc / all);
        return 0;
    }
}

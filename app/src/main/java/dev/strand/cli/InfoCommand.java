package dev.strand.cli;

import dev.strand.genomics.train.FineTunedModel;
import dev.strand.genomics.train.SavedModel;
import dev.strand.nn.Module;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.nn.attention.BigBirdAttention;
import dev.strand.nn.transformer.RecurrentMemory;
import dev.strand.nn.lora.Lora;
import dev.strand.tensor.cpu.Parallel;
import dev.strand.tensor.cpu.Simd;
import com.fasterxml.jackson.databind.JsonNode;
import dev.strand.genomics.hub.HubImport;
import dev.strand.nn.transformer.Architecture;
import dev.strand.nn.transformer.TransformerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints what this Strand runs on: JDK, SIMD width, kernel threads; and with --model, the model's parameters. */
@Command(name = "info", description = "Show the JDK, SIMD width and kernel threads Strand uses; with --model, the model's parameters "
        + "(trainable and total, as PEFT's print_trainable_parameters, for a run fine-tuned with LoRA).")
final class InfoCommand implements Callable<Integer> {
    @Option(names = "--model", description = "A run directory of 'strand pretrain' or 'strand finetune' (with or without LoRA adapters).")
    Path model;

    @Mixin AdapterOption adapter;

    @Override
    public Integer call() throws Exception {
        System.out.println("Strand 0.1.0");
        System.out.println("java:    " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        System.out.println("simd:    " + (Simd.ENABLED ? Simd.SPECIES.length() + " float lanes (" + Simd.SPECIES.vectorBitSize() + "-bit vectors)"
                : "off (scalar kernels)"));
        System.out.println("threads: " + Parallel.threads() + " (set with -Dstrand.threads=N via STRAND_JAVA_OPTS)");
        if (model != null) {
            SavedModel saved = adapter.onto(SavedModel.open(model));
            Module m = switch (saved) {
                case FineTunedModel f -> f.load();
                case PretrainedModel p when p.objective() == PretrainedModel.Objective.CAUSAL -> p.loadGpt();
                default -> saved.loadEncoder();
            };
            boolean adapted = !Lora.adapters(m).isEmpty();
            System.out.println("model:   " + model + (adapter.adapter != null ? " + " + adapter.adapter : "") + (adapted ? " (LoRA adapters)" : ""));
            System.out.println("         " + (adapted ? Lora.trainableSummary(m) : String.format(java.util.Locale.ROOT, "params: %,d", m.parameterCount())));
            describeArchitecture(saved);
            List<BigBirdAttention> sparse = BigBirdAttention.in(m);
            System.out.println("attention: " + (sparse.isEmpty() ? "dense" : sparse.size() + " layers of " + sparse.get(0).layout().describe(saved.config().maxLength())));
            RecurrentMemory memory = saved.config().memory();
            System.out.println("memory:  " + (memory == null ? "none" + (saved.config().limitsInputLength() ? " (one window of at most " + saved.config().maxLength() + " tokens)" : "")
                    : "recurrent, " + memory.describe() + ": inputs of any length in segments of " + memory.segment() + " tokens"));
        }
        return 0;
    }

    /** Which architecture (Strand's own or an imported family), its shape, the tokenizer and the longest input. */
    private static void describeArchitecture(SavedModel saved) throws java.io.IOException {
        TransformerConfig c = saved.config();
        Architecture a = c.architecture();
        JsonNode imported = HubImport.record(saved.checkpoint().toAbsolutePath().getParent());
        System.out.println("architecture: " + (imported == null ? "Strand transformer" : imported.path("title").asText() + ", imported from " + imported.path("source").asText()));
        System.out.printf(Locale.ROOT, "         d %d, %d layers, %d heads, MLP %d (%s), %s, %s positions%s%n", c.dim(), c.layers(), c.heads(), c.ffnDim(),
                a.ffn().name(), c.preNorm() ? "pre-LN" : "post-LN", c.positions().name(), a.fusedQkv() ? ", fused QKV" : "");
        System.out.printf(Locale.ROOT, "tokenizer: %s, %,d tokens%n", saved.tokenizer().kind(), saved.tokenizer().vocabSize());
        System.out.println("max length: " + (c.limitsInputLength() ? c.maxLength() + " tokens"
                : "none (" + c.positions().name() + (c.memory() != null ? ", recurrent memory" : "") + "; trained on up to " + c.maxLength() + " tokens)"));
    }
}

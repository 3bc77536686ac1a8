package dev.strand.genomics.train;

import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.nn.checkpoint.AtomicFiles;
import dev.strand.nn.Module;
import dev.strand.nn.checkpoint.Checkpoint;
import dev.strand.nn.lora.PeftAdapter;
import dev.strand.nn.transformer.BertModel;
import dev.strand.nn.transformer.GptModel;
import dev.strand.nn.transformer.Encoder;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A pretrained DNA language model as a run directory holds it: {@code tokenizer.json} and
 * {@code objective} (the word {@code mlm} or {@code causal}) at the top, and checkpoints in
 * {@code step-NNNNNNN/} directories beside them (see {@link Checkpoint}). Every command that
 * starts from a pretrained model (fine-tuning, generation, variant scoring, attention maps)
 * opens it through here.
 *
 * @param checkpoint the checkpoint directory whose weights are used
 * @param config     the model's shape, as saved with the checkpoint
 * @param tokenizer  the tokenizer the model was trained with
 * @param objective  what the model predicts
 * @param adapter    a LoRA adapter directory in PEFT's layout put onto the weights when they are
 *                   loaded ({@link #withAdapter}), or null for the weights alone
 */
public record PretrainedModel(Path checkpoint, TransformerConfig config, Tokenizer tokenizer, Objective objective, Path adapter)
        implements SavedModel {
    /** The pretraining objective, which decides the model class. */
    public enum Objective {
        /** BERT-style masked language model ({@link BertModel}). */
        MLM,
        /** GPT-style next-token model ({@link GptModel}). */
        CAUSAL;

        public static Objective parse(String word) {
            try {
                return valueOf(word.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown objective '" + word.trim() + "'; use mlm or causal");
            }
        }
    }

    static final String TOKENIZER = "tokenizer.json", OBJECTIVE = "objective";

    /** Writes what a run directory needs beside its checkpoints for {@link #open} to find the model. */
    public static void describe(Path runDir, Tokenizer tokenizer, Objective objective) throws IOException {
        Files.createDirectories(runDir);
        tokenizer.save(runDir.resolve(TOKENIZER));
        AtomicFiles.write(runDir.resolve(OBJECTIVE), (objective.name().toLowerCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Opens a run directory (its newest checkpoint) or one checkpoint directory inside it. A run
     * without an {@code objective} file is a masked language model (runs made before it existed).
     */
    public static PretrainedModel open(Path path) throws IOException {
        if (!Files.isDirectory(path)) throw new IllegalArgumentException("no model at " + path + ": expected a run directory made by 'strand pretrain'");
        Path checkpoint = Files.exists(path.resolve("config.json")) ? path : Checkpoint.latest(path);
        if (checkpoint == null) throw new IllegalArgumentException(path + " holds no checkpoint: expected a run directory made by 'strand pretrain'");
        Path runDir = checkpoint.toAbsolutePath().getParent();
        if (FineTunedModel.isFineTuned(runDir)) {
            throw new IllegalArgumentException(path + " is a fine-tuned model (it has a " + FineTunedModel.HEAD
                    + "); this needs a language model: the run directory of 'strand pretrain'");
        }
        Path tokenizerFile = runDir.resolve(TOKENIZER);
        if (!Files.exists(tokenizerFile)) throw new IllegalArgumentException(runDir + " has no " + TOKENIZER + " beside its checkpoints");
        Path objectiveFile = runDir.resolve(OBJECTIVE);
        Objective objective = Files.exists(objectiveFile) ? Objective.parse(Files.readString(objectiveFile)) : Objective.MLM;
        TransformerConfig config = Checkpoint.readConfig(checkpoint, TransformerConfig.class);
        Tokenizer tokenizer = Tokenizers.load(tokenizerFile);
        if (tokenizer.vocabSize() != config.vocabSize()) {
            throw new IllegalArgumentException(checkpoint + " has a vocabulary of " + config.vocabSize() + " tokens but "
                    + tokenizerFile + " has " + tokenizer.vocabSize() + "; the tokenizer does not belong to this model");
        }
        return new PretrainedModel(checkpoint, config, tokenizer, objective, null);
    }

    /**
     * This model with the LoRA adapter in {@code dir} (PEFT's {@code adapter_config.json} and
     * {@code adapter_model.safetensors}, module names as the config's {@link dev.strand.nn.transformer.Architecture#moduleNames} maps
     * them) put onto its weights whenever they are loaded. The config is read here, so a malformed
     * one fails before any work; tensors that do not fit fail when the model loads.
     */
    public PretrainedModel withAdapter(Path dir) throws IOException {
        if (FineTunedModel.isFineTuned(dir)) {
            throw new IllegalArgumentException(dir + " is a fine-tuned run, whose adapters belong with its head: pass it as the model itself");
        }
        PeftAdapter.readConfig(dir);
        return new PretrainedModel(checkpoint, config, tokenizer, objective, dir);
    }

    /** Where the weights come from: the checkpoint's absolute path, and the adapter's after a " + ". */
    public String source() {
        return checkpoint.toAbsolutePath() + (adapter == null ? "" : " + " + adapter.toAbsolutePath());
    }

    /** The masked language model with the checkpoint's weights (and adapter); an error if the run is causal. */
    public BertModel loadBert() throws IOException {
        require(Objective.MLM);
        return load(new BertModel(config, new Generator(0)));
    }

    /** The causal language model with the checkpoint's weights (and adapter); an error if the run is masked. */
    public GptModel loadGpt() throws IOException {
        require(Objective.CAUSAL);
        return load(new GptModel(config, new Generator(0)));
    }

    private <M extends Module> M load(M model) throws IOException {
        try {
            Checkpoint.loadModel(checkpoint, model);
        } catch (IllegalArgumentException e) {
            String memory = config.memory() == null ? "" : " (its config asks for recurrent memory, " + config.memory().describe()
                    + ", whose first memory the weights must hold as memory.memory.weight)";
            throw new IllegalArgumentException(checkpoint + " does not match its config.json" + memory + ": " + e.getMessage(), e);
        }
        if (adapter != null) PeftAdapter.load(adapter, model, config.architecture().moduleNames());
        return model;
    }

    /** The masked model's encoder with the checkpoint's weights; an error if the run is causal. */
    @Override
    public Encoder loadEncoder() throws IOException {
        return loadBert().encoder;
    }

    private void require(Objective wanted) {
        if (objective != wanted) {
            throw new IllegalArgumentException(checkpoint + " holds a " + objective.name().toLowerCase(Locale.ROOT) + " model; this needs a "
                    + wanted.name().toLowerCase(Locale.ROOT) + " one (pretrain with --objective " + wanted.name().toLowerCase(Locale.ROOT) + ")");
        }
    }
}

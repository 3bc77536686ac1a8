package dev.strand.genomics.train;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strand.genomics.data.LabelledDataset;
import dev.strand.genomics.metrics.TaskScores;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.genomics.tokenize.Tokenizers;
import dev.strand.nn.checkpoint.AtomicFiles;
import dev.strand.nn.checkpoint.Checkpoint;
import dev.strand.nn.lora.Lora;
import dev.strand.nn.lora.LoraConfig;
import dev.strand.nn.lora.PeftAdapter;
import dev.strand.nn.transformer.Encoder;
import dev.strand.nn.transformer.SequenceHead;
import dev.strand.nn.transformer.SequenceModel;
import dev.strand.nn.transformer.Transformer;
import dev.strand.nn.transformer.TransformerConfig;
import dev.strand.tensor.Generator;
import dev.strand.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A fine-tuned sequence model as its run directory holds it: {@code tokenizer.json} and
 * {@code head.json} ({@link HeadSpec}) at the top, the weights and {@link TransformerConfig} in a
 * {@code step-NNNNNNN/} checkpoint beside them (see {@link Checkpoint}; the step is the one with the
 * best dev score). {@link FineTuning} writes it; {@code strand evaluate} opens it.
 *
 * @param checkpoint the checkpoint directory whose weights are used
 * @param config     the encoder's shape
 * @param tokenizer  the tokenizer the model reads
 * @param head       what the head predicts
 */
public record FineTunedModel(Path checkpoint, TransformerConfig config, Tokenizer tokenizer, HeadSpec head) implements SavedModel {
    static final String TOKENIZER = "tokenizer.json", HEAD = "head.json";
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** True if {@code dir} looks like a fine-tuned run (has {@code head.json}). */
    public static boolean isFineTuned(Path dir) {
        return Files.exists(dir.resolve(HEAD));
    }

    /**
     * Saves {@code model} as the checkpoint of {@code step} in {@code runDir}, with tokenizer and
     * head description. A model with LoRA adapters is saved with them, and {@code adapters} (its
     * config) writes them in PEFT's files beside the checkpoint; with {@code adapters} null they are
     * merged into the weights of a plain model, which loads without any LoRA code.
     */
    static Path save(Path runDir, int step, SequenceModel model, Tokenizer tokenizer, HeadSpec head, LoraConfig adapters) throws IOException {
        Files.createDirectories(runDir);
        tokenizer.save(runDir.resolve(TOKENIZER));
        AtomicFiles.write(runDir.resolve(HEAD), JSON.writeValueAsBytes(head));
        TransformerConfig config = model.encoder.config();
        if (adapters != null) PeftAdapter.save(runDir, model, adapters, config.architecture().moduleNames());
        if (adapters != null || Lora.adapters(model).isEmpty()) return Checkpoint.save(runDir, step, model, config, null, Map.of());
        SequenceModel plain = plain(config, head);
        Lora.merge(model);
        Map<String, Tensor> merged = model.stateDict();
        plain.stateDict().forEach((name, t) -> t.copyFrom(merged.get(name)));
        Lora.unmerge(model);
        return Checkpoint.save(runDir, step, plain, config, null, Map.of());
    }

    /** A model of this shape without adapters; its initial values are overwritten by a checkpoint. */
    private static SequenceModel plain(TransformerConfig config, HeadSpec head) {
        Generator unused = new Generator(0);
        return new SequenceModel(new Transformer(config, unused),
                new SequenceHead(config.dim(), head.outputs(), head.poolingKind(), head.normalised(), 0f, unused));
    }

    /** Opens a fine-tuned run directory (its newest checkpoint) or one checkpoint directory inside it. */
    public static FineTunedModel open(Path path) throws IOException {
        if (!Files.isDirectory(path)) throw new IllegalArgumentException("no fine-tuned model at " + path + ": expected a directory made by 'strand finetune'");
        Path checkpoint = Files.exists(path.resolve("config.json")) ? path : Checkpoint.latest(path);
        Path runDir = checkpoint == null ? path : checkpoint.toAbsolutePath().getParent();
        if (!isFineTuned(runDir)) {
            throw new IllegalArgumentException(path + " is not a fine-tuned model (no " + HEAD + "): pass the --out directory of 'strand finetune'");
        }
        if (checkpoint == null) throw new IllegalArgumentException(path + " holds no checkpoint: the fine-tuning run did not finish");
        Path tokenizerFile = runDir.resolve(TOKENIZER);
        if (!Files.exists(tokenizerFile)) throw new IllegalArgumentException(runDir + " has no " + TOKENIZER + " beside its checkpoint");
        TransformerConfig config = Checkpoint.readConfig(checkpoint, TransformerConfig.class);
        Tokenizer tokenizer = Tokenizers.load(tokenizerFile);
        if (tokenizer.vocabSize() != config.vocabSize()) {
            throw new IllegalArgumentException(checkpoint + " was made for a vocabulary of " + config.vocabSize() + " tokens but "
                    + tokenizerFile + " (" + tokenizer.kind() + ") has " + tokenizer.vocabSize() + "; the tokenizer does not belong to this model");
        }
        HeadSpec head;
        try {
            head = JSON.readValue(runDir.resolve(HEAD).toFile(), HeadSpec.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(runDir.resolve(HEAD) + " is not a head description: " + e.getOriginalMessage());
        }
        return new FineTunedModel(checkpoint, config, tokenizer, head);
    }

    /** The model with the checkpoint's weights, in evaluation mode. */
    public SequenceModel load() throws IOException {
        SequenceModel model = plain(config, head);
        Path runDir = checkpoint.toAbsolutePath().getParent();
        if (Files.exists(runDir.resolve(PeftAdapter.CONFIG))) {
            // Trained with LoRA: the adapters' weights are in the checkpoint too.
            Lora.apply(model, PeftAdapter.readConfig(runDir), config.architecture().moduleNames(), new Generator(0));
        }
        try {
            Checkpoint.loadModel(checkpoint, model);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(checkpoint + " does not match its config.json and head.json: " + e.getMessage(), e);
        }
        model.eval();
        return model;
    }

    /** The encoder under the head, with the checkpoint's weights, in evaluation mode. */
    @Override
    public Encoder loadEncoder() throws IOException {
        return load().encoder;
    }

    /** How rows become batches for this model (its length limit and truncation). */
    public LabelledDataset.Batching batching() {
        return SequenceScoring.batching(config, head.truncationKind());
    }

    /** Outputs per row, row-major [n, K]: class probabilities or predicted targets. */
    public float[] predict(SequenceModel model, LabelledDataset data) {
        SequenceScoring.checkLengths(data, tokenizer, config, head.truncationKind());
        return SequenceScoring.outputs(model, data, tokenizer, batching(), head.taskKind());
    }

    /** Loads the model and scores it on {@code data} (same figures as fine-tuning's test metrics). */
    public TaskScores evaluate(LabelledDataset data) throws IOException {
        return evaluate(load(), data);
    }

    /** Scores an already loaded model on {@code data}. */
    public TaskScores evaluate(SequenceModel model, LabelledDataset data) {
        SequenceScoring.checkLengths(data, tokenizer, config, head.truncationKind());
        return SequenceScoring.score(model, data, tokenizer, batching(), head);
    }
}

package dev.strand.genomics.train;

import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.transformer.Encoder;
import dev.strand.nn.transformer.TransformerConfig;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A model saved in a run directory, pretrained ({@link PretrainedModel}) or fine-tuned
 * ({@link FineTunedModel}): what a command that reads either kind (attention maps, hidden states)
 * needs without asking which kind it has.
 */
public sealed interface SavedModel permits PretrainedModel, FineTunedModel {
    /** The checkpoint directory whose weights are used. */
    Path checkpoint();

    /** The transformer's shape, as saved with the checkpoint. */
    TransformerConfig config();

    /** The tokenizer the model reads. */
    Tokenizer tokenizer();

    /**
     * The bidirectional encoder with the checkpoint's weights: a masked model's, or the one under a
     * fine-tuned model's head. An error for a causal model, which has none.
     */
    Encoder loadEncoder() throws IOException;

    /**
     * Opens a fine-tuned run directory (one with {@code head.json}) as a {@link FineTunedModel} and
     * anything else as a {@link PretrainedModel}, with their errors for what is neither.
     */
    static SavedModel open(Path path) throws IOException {
        return FineTunedModel.isFineTuned(path) ? FineTunedModel.open(path) : PretrainedModel.open(path);
    }
}

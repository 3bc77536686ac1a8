package dev.strand.cli;

import dev.strand.genomics.train.FineTunedModel;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.genomics.train.SavedModel;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --adapter} option of the commands that read a language model: a LoRA adapter in
 * PEFT's layout put onto the {@code --model}'s weights, as {@code PeftModel.from_pretrained} does.
 * A run of {@code strand finetune --lora} needs none: it carries its adapters and is the model.
 */
final class AdapterOption {
    @Option(names = "--adapter", paramLabel = "DIR",
            description = "A LoRA adapter for the --model language model: a directory with PEFT's adapter_config.json and adapter_model.safetensors.")
    Path adapter;

    /** {@code model} with the adapter, if one was given. */
    PretrainedModel onto(PretrainedModel model) throws IOException {
        return adapter == null ? model : model.withAdapter(adapter);
    }

    /** {@code model} with the adapter, if one was given; a fine-tuned model takes none. */
    SavedModel onto(SavedModel model) throws IOException {
        if (adapter == null) return model;
        if (model instanceof FineTunedModel f) {
            throw new IllegalArgumentException("--adapter goes on a language model from 'strand pretrain'; " + f.checkpoint().getParent()
                    + " is a fine-tuned run, which carries its own adapters");
        }
        return onto((PretrainedModel) model);
    }
}

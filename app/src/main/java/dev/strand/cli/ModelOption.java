package dev.strand.cli;

import dev.strand.genomics.train.FineTunedModel;
import dev.strand.genomics.train.PretrainedModel;
import dev.strand.genomics.train.SavedModel;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --model} option of every command that starts from a saved model: a run directory (or
 * one checkpoint in it), opened as the kind the command needs. Which kind that is, each command
 * says in its own help line ({@code strand.COMMAND.model} in {@code OptionHelp.properties}).
 */
final class ModelOption {
    @Option(names = "--model", required = true, descriptionKey = "model",
            description = "Run directory (or one checkpoint in it) of 'strand pretrain' or 'strand finetune'.")
    Path model;   // named for the help's --model=<model>

    /** The directory as given. */
    Path path() {
        return model;
    }

    /** A model made by {@code strand pretrain}. */
    PretrainedModel pretrained() throws IOException {
        return PretrainedModel.open(model);
    }

    /** A model made by {@code strand finetune}. */
    FineTunedModel fineTuned() throws IOException {
        return FineTunedModel.open(model);
    }

    /** Either kind, whichever the directory holds. */
    SavedModel saved() throws IOException {
        return SavedModel.open(model);
    }
}

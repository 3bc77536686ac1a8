package dev.strand.cli;

import dev.strand.genomics.train.ControlTags;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The repeatable {@code --tag KEY=VALUE} option: control tags, as the tokens ({@code <KEY=VALUE>})
 * a model reads in front of its DNA. What the tags mark, each command says in its own help line
 * ({@code strand.COMMAND.tag} in {@code OptionHelp.properties}).
 */
final class ControlTagOption {
    @Option(names = "--tag", paramLabel = "KEY=VALUE", descriptionKey = "tag", description = "Control tag (repeatable).")
    List<String> tags = new ArrayList<>();

    /** The tags as tokens, checked: a clear error for one that is not key=value. */
    List<String> tokens() {
        return ControlTags.tokens(tags);
    }
}

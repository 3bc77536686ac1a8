package dev.strand.cli;

import dev.strand.nn.transformer.TransformerConfig;
import java.util.Locale;

/**
 * The note a command prints when it runs a model on more tokens than it was trained on: positions
 * without a table (rotary, ALiBi) do not stop there, they extrapolate, and what comes out is then
 * the model's guess outside what it learned.
 */
final class TrainedLength {
    private TrainedLength() {}

    /** Prints the note once per call to standard error when {@code tokens} exceed what {@code config} was trained on; returns whether it did. */
    static boolean noteIfBeyond(TransformerConfig config, int tokens, String what) {
        if (config.memory() != null || config.positions().bounded() || tokens <= config.maxLength()) return false;
        System.err.printf(Locale.ROOT, "note: this model was trained on windows of %d tokens; %s of %d tokens extrapolate (%s positions)%n",
                config.maxLength(), what, tokens, config.positions().name().toLowerCase(Locale.ROOT));
        return true;
    }
}

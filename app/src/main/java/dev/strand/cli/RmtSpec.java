package dev.strand.cli;

import dev.strand.nn.transformer.RecurrentMemory;
import java.util.Locale;

/**
 * The value of {@code --rmt}: {@code memory=10,segment=512,bptt=-1[,readout=last|mean]}, GENA-LM's
 * settings for whatever is left out: 10 memory tokens, segments of 512 tokens, gradients through
 * every segment, the last segment's prediction.
 */
final class RmtSpec {
    static final String DESCRIPTION = "Recurrent memory (RMT) for inputs of any length: memory=M,segment=S,bptt=K[,readout=last|mean] "
            + "(M memory tokens, S tokens per segment with memory and specials, gradients through the last K segments or -1 for all; "
            + "GENA-LM's 10, 512 and -1 where left out).";

    private RmtSpec() {}

    /** The memory settings, or null for a blank spec. */
    static RecurrentMemory parse(String spec) {
        if (spec == null || spec.isBlank()) return null;
        int memory = 10, segment = 512, bptt = -1;
        RecurrentMemory.Readout readout = RecurrentMemory.Readout.LAST;
        for (String part : spec.split(",")) {
            part = part.strip();
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("--rmt: '" + part + "' is not key=value; keys are memory, segment, bptt and readout");
            String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT), value = part.substring(eq + 1).strip();
            switch (key) {
                case "memory" -> memory = whole(key, value);
                case "segment" -> segment = whole(key, value);
                case "bptt" -> bptt = whole(key, value);
                case "readout" -> readout = RecurrentMemory.Readout.parse(value);
                default -> throw new IllegalArgumentException("--rmt: unknown key '" + key + "'; keys are memory, segment, bptt and readout");
            }
        }
        try {
            return new RecurrentMemory(memory, segment, bptt, readout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--rmt: " + e.getMessage(), e);
        }
    }

    private static int whole(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rmt: " + key + " must be a whole number, got '" + value + "'");
        }
    }
}

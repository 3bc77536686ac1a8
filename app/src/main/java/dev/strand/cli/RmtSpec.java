package dev.strand.cli;

import dev.strand.nn.transformer.RecurrentMemory;
import java.util.List;

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
        for (var e : KeyValues.parse("--rmt", spec, List.of("memory", "segment", "bptt", "readout")).entrySet()) {
            String key = e.getKey(), value = e.getValue();
            switch (key) {
                case "memory" -> memory = KeyValues.whole("--rmt", key, value);
                case "segment" -> segment = KeyValues.whole("--rmt", key, value);
                case "bptt" -> bptt = KeyValues.whole("--rmt", key, value);
                default -> readout = readout(value);
            }
        }
        try {
            return new RecurrentMemory(memory, segment, bptt, readout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--rmt: " + e.getMessage(), e);
        }
    }

    private static RecurrentMemory.Readout readout(String value) {
        try {
            return RecurrentMemory.Readout.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--rmt: " + e.getMessage(), e);
        }
    }
}

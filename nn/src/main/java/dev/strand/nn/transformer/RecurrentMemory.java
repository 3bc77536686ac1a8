package dev.strand.nn.transformer;

import java.util.Locale;

/**
 * Recurrent memory (RMT, Bulatov et al. 2022): a long input is cut into segments that the same
 * transformer reads one after another, and {@code tokens} memory vectors carry what it keeps from
 * one segment to the next. Saved in a model's {@code config.json} as {@code "memory"}; a model
 * without it reads one window.
 *
 * <p>{@code segment} is the trunk's input length in tokens, memory and specials included, so it is
 * also the model's {@code maxLength}: the encoder form ({@link MemoryEncoder}) puts
 * {@code segment − tokens − 3} input tokens in each segment ({@code [CLS] MEM×m [SEP] chunk [SEP]}),
 * the decoder form ({@link MemoryDecoder}) {@code segment − 2·tokens} ({@code [MEM] chunk [MEM]}).
 *
 * @param tokens  memory vectors m
 * @param segment tokens per segment S, memory and specials included
 * @param bptt    segments the gradient flows back through the memory: the memory entering segment i
 *                of n is cut from the graph when {@code n − i > bptt} (GENA-LM's rule); −1 for all
 * @param readout how an encoder's prediction is read: the last segment's, or the mean over segments
 */
public record RecurrentMemory(int tokens, int segment, int bptt, Readout readout) {
    /** How a sequence head reads a recurrent encoder. */
    public enum Readout {
        /** The head's output on the last segment (which right alignment keeps full), as GENA-LM. */
        LAST,
        /** The mean of the head's outputs over each row's segments. */
        MEAN;

        public static Readout parse(String word) {
            try {
                return valueOf(word.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown memory readout '" + word.trim() + "'; use last or mean");
            }
        }
    }

    public RecurrentMemory {
        if (readout == null) readout = Readout.LAST;
        if (tokens < 1) throw new IllegalArgumentException("recurrent memory needs at least one memory token, got " + tokens);
        if (bptt < -1) throw new IllegalArgumentException("BPTT depth must be -1 (all segments) or at least 0, got " + bptt);
        if (segment - 2 * tokens < 1 || segment - tokens - 3 < 1) {
            throw new IllegalArgumentException("a segment of " + segment + " tokens leaves no room for input beside " + tokens
                    + " memory tokens (the encoder form takes m + 3, the decoder form 2m); use a longer segment or fewer memory tokens");
        }
    }

    /** Input tokens per segment in the encoder form: S − m − 3 ([CLS], [SEP] after the memory, [SEP] at the end). */
    public int encoderChunk() {
        return segment - tokens - 3;
    }

    /** Input tokens per segment in the decoder form: S − 2m (the read memory before, the write memory after). */
    public int decoderChunk() {
        return segment - 2 * tokens;
    }

    /** Whether the memory entering segment {@code index} (0 first) of {@code segments} is cut from the graph. */
    public boolean detachBefore(int index, int segments) {
        return bptt > -1 && segments - index > bptt;
    }

    /** "memory=10,segment=512,bptt=-1" (and ",readout=mean" when it is not the default). */
    public String describe() {
        return "memory=" + tokens + ",segment=" + segment + ",bptt=" + bptt + (readout == Readout.LAST ? "" : ",readout=" + readout.name().toLowerCase(Locale.ROOT));
    }
}

package dev.strand.genomics.train;

import dev.strand.autograd.GradMode;
import dev.strand.genomics.metrics.LanguageModelMetrics;
import dev.strand.genomics.tokenize.KmerTokenizer;
import dev.strand.genomics.tokenize.Tokenizer;
import dev.strand.nn.transformer.GptModel;
import dev.strand.nn.transformer.MemoryDecoder;
import dev.strand.tensor.Tensor;
import java.util.Arrays;

/**
 * How well a causal model predicts a long stretch of DNA, read as one stream: bits per base of
 * every base after the first. The DNA arrives in pieces ({@link #add}) and nothing of size
 * proportional to the whole is kept, so a model with recurrent memory reads a chromosome in the
 * memory one segment takes: its stream carries the memory from segment to segment ({@link
 * MemoryDecoder#stream}). A model without memory reads consecutive windows of its maximum length,
 * each from a fresh [CLS], the way it was trained.
 */
public final class StreamLikelihood {
    private final GptModel model;
    private final Tokenizer tokenizer;
    private final LanguageModelMetrics.Accumulator scores = new LanguageModelMetrics.Accumulator();
    private final MemoryDecoder.Stream stream;
    private final int overlap;                        // bases a k-mer tokenizer re-reads across pieces
    private String carry = "";                        // those bases, from the previous piece
    private float[] lastLogits;                       // [V] after the newest token, predicting the next
    private final int[] window;                       // without memory: the window being filled
    private int filled;
    private long bases, tokens;

    public StreamLikelihood(GptModel model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.overlap = tokenizer instanceof KmerTokenizer k ? k.k() - 1 : 0;
        this.window = new int[model.config.maxLength() - 1];   // [CLS] then tokens
        model.eval();
        try (var noGrad = GradMode.off()) {
            this.stream = model.memory == null ? null : model.memory.stream(1);
            if (stream != null) lastLogits = last(stream.feed(Tensor.ofInts(new int[] {tokenizer.cls()}, 1, 1)));
        }
    }

    /**
     * Reads the next piece of the stream (A/C/G/T; pieces are tokenized apart, so a BPE tokenizer
     * may cut differently at their joins than over the whole).
     */
    public void add(String piece) {
        String text = carry + piece;
        carry = overlap > 0 ? text.substring(Math.max(0, text.length() - overlap)) : "";
        if (text.length() <= overlap) return;
        int[] ids = tokenizer.encode(text);
        bases += piece.length();
        try (var noGrad = GradMode.off()) {
            if (stream != null) readWithMemory(ids);
            else readInWindows(ids);
        }
    }

    private void readWithMemory(int[] ids) {
        int vocab = tokenizer.vocabSize(), step = model.memory.settings.decoderChunk();
        for (int from = 0; from < ids.length; from += step) {
            int n = Math.min(step, ids.length - from);
            int[] part = Arrays.copyOfRange(ids, from, from + n);
            float[] logits = stream.feed(Tensor.ofInts(part, 1, n)).contiguous().toFloatArray();   // [1, n, V]
            scores.add(lastLogits, new int[] {part[0]}, vocab);
            if (n > 1) scores.add(Arrays.copyOfRange(logits, 0, (n - 1) * vocab), Arrays.copyOfRange(part, 1, n), vocab);
            lastLogits = Arrays.copyOfRange(logits, (n - 1) * vocab, n * vocab);
            tokens += n;
        }
    }

    private void readInWindows(int[] ids) {
        for (int id : ids) {
            window[filled++] = id;
            if (filled == window.length) flushWindow();
        }
    }

    private void flushWindow() {
        if (filled == 0) return;
        int[] input = new int[filled];                 // [CLS] and all but the last token, each predicting the next
        input[0] = tokenizer.cls();
        System.arraycopy(window, 0, input, 1, filled - 1);
        Tensor logits = model.logits(Tensor.ofInts(input, 1, filled), null).data();                // [1, n, V]
        scores.add(logits.contiguous().toFloatArray(), Arrays.copyOf(window, filled), tokenizer.vocabSize());
        tokens += filled;
        filled = 0;
    }

    /** Finishes the stream (a window-reading model scores its last, partial window). */
    public Result finish() {
        if (stream == null) {
            try (var noGrad = GradMode.off()) {
                flushWindow();
            }
        }
        double basesPerToken = overlap > 0 ? 1 : (double) bases / Math.max(1, tokens);
        return new Result(bases, scores.scored(), scores.bitsPerBase(basesPerToken), scores.accuracy());
    }

    /**
     * @param bases       bases read
     * @param scored      tokens predicted
     * @param bitsPerBase cross-entropy in bits per base
     * @param accuracy    next-token accuracy
     */
    public record Result(long bases, long scored, double bitsPerBase, double accuracy) {}

    private static float[] last(Tensor logits) {
        int n = logits.size(1), v = logits.size(2);
        float[] all = logits.contiguous().toFloatArray();
        return Arrays.copyOfRange(all, (n - 1) * v, n * v);
    }
}

package dev.strand.nn.transformer;

import dev.strand.tensor.Tensor;
import java.util.Arrays;

/**
 * Rows {@code [CLS] x [SEP]} cut into the encoder form's segments ({@link MemoryEncoder}): each
 * row's tokens x in chunks of {@link RecurrentMemory#encoderChunk}, right-aligned (the last chunk is
 * full, the first may be short), the rows aligned on their last segment. Segment i of a batch with n
 * segments holds, for a row with r segments, its chunk i − (n − r), or nothing when that is negative.
 */
final class Segments {
    private final int[][] tokens;       // each row's x, without [CLS], [SEP] and padding
    private final int[] cls, sep, count;
    private final int chunk, memoryTokens, segments;

    private Segments(int[][] tokens, int[] cls, int[] sep, RecurrentMemory memory) {
        this.tokens = tokens;
        this.cls = cls;
        this.sep = sep;
        this.chunk = memory.encoderChunk();
        this.memoryTokens = memory.tokens();
        this.count = new int[tokens.length];
        int most = 1;
        for (int r = 0; r < tokens.length; r++) {
            count[r] = Math.max(1, (tokens[r].length + chunk - 1) / chunk);
            most = Math.max(most, count[r]);
        }
        this.segments = most;
    }

    /** ids [B, T] of rows {@code [CLS] x [SEP]} followed by padding (keyPadding [B, T], 1 at padding, or null). */
    static Segments of(Tensor ids, Tensor keyPadding, RecurrentMemory memory) {
        if (ids.dim() != 2) throw new IllegalArgumentException("token ids must be [batch, length], got " + ids);
        int b = ids.size(0), t = ids.size(1);
        int[] all = ids.contiguous().toIntArray();
        int[] pad = keyPadding == null ? new int[b * t] : keyPadding.toInt().contiguous().toIntArray();
        int[][] tokens = new int[b][];
        int[] cls = new int[b], sep = new int[b];
        for (int r = 0; r < b; r++) {
            int length = 0;
            while (length < t && pad[r * t + length] == 0) length++;
            if (length < 2) throw new IllegalArgumentException("row " + r + " has " + length + " tokens; a row is [CLS] tokens [SEP]");
            cls[r] = all[r * t];
            sep[r] = all[r * t + length - 1];
            tokens[r] = Arrays.copyOfRange(all, r * t + 1, r * t + length - 1);
        }
        return new Segments(tokens, cls, sep, memory);
    }

    /** Segments in the batch: the most any row has. */
    int count() {
        return segments;
    }

    /**
     * One segment's input: ids [B, S] ({@code [CLS] MEM×m [SEP] chunk [SEP]}, the memory slots
     * holding the [CLS] id as a placeholder the memory replaces), keyPadding [B, S] and present [B]
     * (INT32, 1 where the row has tokens in this segment).
     */
    record Segment(Tensor ids, Tensor keyPadding, Tensor present, boolean allPresent) {}

    Segment segment(int i) {
        int b = tokens.length;
        int[] from = new int[b], to = new int[b], present = new int[b];
        int longest = 0;
        boolean all = true;
        for (int r = 0; r < b; r++) {
            int q = i - (segments - count[r]);                       // the row's own segment number
            all &= q >= 0;
            if (q < 0) continue;
            present[r] = 1;
            int end = tokens[r].length - (count[r] - 1 - q) * chunk;
            from[r] = Math.max(0, end - chunk);
            to[r] = end;
            longest = Math.max(longest, to[r] - from[r]);
        }
        int m = memoryTokens, width = m + 3 + longest;
        int[] ids = new int[b * width], pad = new int[b * width];
        for (int r = 0; r < b; r++) {
            int at = r * width, n = to[r] - from[r];
            ids[at] = cls[r];
            for (int j = 0; j < m; j++) ids[at + 1 + j] = cls[r];
            ids[at + 1 + m] = sep[r];
            System.arraycopy(tokens[r], from[r], ids, at + 2 + m, n);
            ids[at + 2 + m + n] = sep[r];
            for (int j = 3 + m + n; j < width; j++) {
                ids[at + j] = sep[r];
                pad[at + j] = 1;
            }
        }
        return new Segment(Tensor.ofInts(ids, b, width), Tensor.ofInts(pad, b, width), Tensor.ofInts(present, b), all);
    }
}

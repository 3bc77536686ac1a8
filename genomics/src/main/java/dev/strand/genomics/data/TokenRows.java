package dev.strand.genomics.data;

import dev.strand.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/** Token-id rows of different lengths as one right-padded INT32 batch, and its padding mask. */
public final class TokenRows {
    private TokenRows() {}

    /** Rows → ids [B, T] with T the longest row, shorter rows filled with {@code pad} on the right. */
    public static Tensor padded(List<int[]> rows, int pad) {
        int t = 0;
        for (int[] r : rows) t = Math.max(t, r.length);
        int[] flat = new int[rows.size() * t];
        Arrays.fill(flat, pad);
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, flat, i * t, rows.get(i).length);
        return Tensor.ofInts(flat, rows.size(), t);
    }

    /** 1 where ids [B, T] hold {@code pad}, or null when none does (fixed-length rows need no mask). */
    public static Tensor paddingMask(Tensor ids, int pad) {
        Tensor mask = ids.eq(pad);
        return mask.sum().item() > 0 ? mask : null;
    }
}

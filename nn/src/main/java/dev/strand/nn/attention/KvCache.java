package dev.strand.nn.attention;

import dev.strand.autograd.Variable;
import dev.strand.tensor.Tensor;

/**
 * Keys and values of the tokens already seen by one attention layer, so generation computes
 * attention for each new token only. Holds [B, H, S, hd] for S cached positions in buffers that
 * double when full, so appending a token copies only that token (not the whole cache).
 */
public final class KvCache {
    private Tensor keys, values;   // [B, H, capacity, hd]
    private int length;

    /** Number of cached positions. */
    public int length() {
        return length;
    }

    /** Appends new keys and values [B, H, T, hd]; returns all keys and values [B, H, S+T, hd] (views, no gradient). */
    Variable[] append(Variable k, Variable v) {
        int t = k.size(2);
        if (keys == null || length + t > keys.size(2)) grow(k.data(), Math.max(2 * (length + t), 16));
        keys.narrow(2, length, t).copyFrom(k.data());
        values.narrow(2, length, t).copyFrom(v.data());
        length += t;
        return new Variable[] {Variable.constant(keys.narrow(2, 0, length)), Variable.constant(values.narrow(2, 0, length))};
    }

    private void grow(Tensor like, int capacity) {
        int[] shape = like.shape();
        shape[2] = capacity;
        Tensor k = Tensor.zeros(shape), v = Tensor.zeros(shape);
        if (keys != null) {
            k.narrow(2, 0, length).copyFrom(keys.narrow(2, 0, length));
            v.narrow(2, 0, length).copyFrom(values.narrow(2, 0, length));
        }
        keys = k;
        values = v;
    }

    /** Forgets everything. */
    public void clear() {
        keys = values = null;
        length = 0;
    }
}

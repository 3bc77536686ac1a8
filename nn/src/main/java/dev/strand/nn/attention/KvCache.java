package dev.strand.nn.attention;

import dev.strand.autograd.Shaping;
import dev.strand.autograd.Variable;
import java.util.List;

/**
 * Keys and values of the tokens already seen by one attention layer, so generation computes
 * attention for each new token only. Holds [B, H, S, hd] for S cached positions.
 */
public final class KvCache {
    private Variable keys, values;

    /** Number of cached positions. */
    public int length() {
        return keys == null ? 0 : keys.size(2);
    }

    /** Appends new keys and values [B, H, T, hd]; returns all keys and values [B, H, S+T, hd]. */
    Variable[] append(Variable k, Variable v) {
        keys = keys == null ? k.detach() : Shaping.concat(List.of(keys, k.detach()), 2);
        values = values == null ? v.detach() : Shaping.concat(List.of(values, v.detach()), 2);
        return new Variable[] {keys, values};
    }

    /** Forgets everything. */
    public void clear() {
        keys = values = null;
    }
}

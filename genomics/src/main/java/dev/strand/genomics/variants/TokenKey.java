package dev.strand.genomics.variants;

import java.util.Arrays;

/** Token ids as a map key, compared by content, so identical sequences are run once. */
record TokenKey(int[] ids) {
    @Override
    public boolean equals(Object o) {
        return o instanceof TokenKey k && Arrays.equals(ids, k.ids);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ids);
    }

    @Override
    public String toString() {
        return Arrays.toString(ids);
    }
}

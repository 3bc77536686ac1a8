package dev.strand.genomics;

import java.util.Random;

/** Random sequences for tests. */
public final class RandomDna {
    private RandomDna() {}

    /** Uniformly random uppercase ACGT. */
    public static String random(int length, Random rng) {
        return random(length, "ACGT", rng);
    }

    /** Uniformly random uppercase ACGT from a seed. */
    public static String random(int length, long seed) {
        return random(length, new Random(seed));
    }

    /** Each character drawn uniformly from {@code letters}. */
    public static String random(int length, String letters, Random rng) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) out[i] = letters.charAt(rng.nextInt(letters.length()));
        return new String(out);
    }
}

package dev.strand.nn.attention;

/**
 * numpy's legacy global generator, bit for bit: {@code np.random.seed(s)} (MT19937 seeded by
 * init_genrand) and {@code np.random.permutation(array)} (Fisher–Yates from the last index down,
 * each index drawn by masked rejection on 32-bit outputs). Hugging Face BigBird draws its random
 * blocks with these, reseeded with the layer index, so reproducing them reproduces its layouts.
 */
final class NumpyRandom {
    private static final int N = 624, M = 397;
    private final int[] mt = new int[N];
    private int index;

    /** {@code np.random.seed(seed)} for 0 ≤ seed &lt; 2³². */
    NumpyRandom(long seed) {
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        index = N;
    }

    /** The next 32-bit output (genrand_int32), as an unsigned value. */
    long nextUnsigned() {
        if (index >= N) twist();
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
            mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : 0x9908b0df);
        }
        index = 0;
    }

    /** A uniform integer in [0, max]: the smallest all-ones mask covering max, redrawn until the masked value fits. */
    long interval(long max) {
        if (max == 0) return 0;
        long mask = max;
        for (int shift = 1; shift <= 16; shift <<= 1) mask |= mask >>> shift;
        long value;
        do {
            value = nextUnsigned() & mask;
        } while (value > max);
        return value;
    }

    /** {@code np.random.permutation(values)}: a shuffled copy. */
    int[] permutation(int[] values) {
        int[] out = values.clone();
        for (int i = out.length - 1; i > 0; i--) {
            int j = (int) interval(i);
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }
}

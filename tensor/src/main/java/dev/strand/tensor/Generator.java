package dev.strand.tensor;

/**
 * A seeded, counter-based random number generator.
 *
 * <p>Element i of a draw depends only on the seed and the generator's counter, never on which
 * thread computes it, so the same seed gives the same numbers on any thread count. Each draw of n
 * numbers advances the counter by n. The counter is the generator's whole state: save it with
 * {@link #state()} and restore it with {@link #setState} for an exact resume.
 */
public final class Generator {
    private final long seed;
    private long counter;

    public Generator(long seed) {
        this.seed = seed;
    }

    public long seed() {
        return seed;
    }

    /** The counter: how many numbers have been drawn so far. */
    public long state() {
        return counter;
    }

    public void setState(long counter) {
        this.counter = counter;
    }

    /** Reserves n consecutive counter values and returns the first. */
    public synchronized long advance(long n) {
        long start = counter;
        counter += n;
        return start;
    }

    /** A uniform float in [0, 1) for stream position {@code index} of {@code seed}: 24 random bits. */
    public static float uniformAt(long seed, long index) {
        return (mix(seed, index) >>> 40) * 0x1.0p-24f;
    }

    /** 64 random bits for stream position {@code index} of {@code seed} (SplitMix64 finaliser). */
    public static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + (index + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniform float in [0, 1) (draws one number). */
    public float nextFloat() {
        return uniformAt(seed, advance(1));
    }

    /** A uniform int in [0, bound) (draws one number). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        return (int) Math.floorMod(mix(seed, advance(1)), (long) bound);
    }
}

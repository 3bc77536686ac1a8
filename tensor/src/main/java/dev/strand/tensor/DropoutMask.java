package dev.strand.tensor;

/**
 * The dropout mask {@link Tensor#dropout}{@code (p, seed, counter)} draws, named so that a fused
 * kernel can draw the same one inside: element e of a contiguous tensor is kept, and scaled by
 * 1/(1 − p), by bits of the counter-based stream at position counter + e/4.
 */
public record DropoutMask(float p, long seed, long counter) {
    public DropoutMask {
        if (!(p >= 0f && p < 1f)) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
    }
}

package dev.strand.nn.optim;

/** A learning rate as a function of the step (0-based). */
@FunctionalInterface
public interface Schedule {
    float lr(int step);

    /** Constant rate. */
    static Schedule constant(float lr) {
        return step -> lr;
    }

    /** Linear warmup from 0 to {@code peak} over {@code warmup} steps, then cosine decay to {@code min} at {@code total}. */
    static Schedule warmupCosine(float peak, int warmup, int total, float min) {
        return step -> {
            if (step < warmup) return peak * (step + 1) / warmup;
            if (step >= total) return min;
            double progress = (double) (step - warmup) / Math.max(1, total - warmup);
            return (float) (min + 0.5 * (peak - min) * (1 + Math.cos(Math.PI * progress)));
        };
    }

    /** Linear warmup to {@code peak}, then linear decay to 0 at {@code total} (BERT's schedule). */
    static Schedule warmupLinear(float peak, int warmup, int total) {
        return step -> {
            if (step < warmup) return peak * (step + 1) / warmup;
            return Math.max(0f, peak * (total - step) / (float) Math.max(1, total - warmup));
        };
    }

    /** Triangular cyclical rate (Smith 2017): base → max → base over 2·halfCycle steps, repeated. */
    static Schedule cyclical(float base, float max, int halfCycle) {
        return step -> {
            int pos = step % (2 * halfCycle);
            float frac = pos < halfCycle ? (float) pos / halfCycle : (float) (2 * halfCycle - pos) / halfCycle;
            return base + (max - base) * frac;
        };
    }
}

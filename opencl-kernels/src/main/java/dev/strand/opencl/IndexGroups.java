package dev.strand.opencl;

import java.util.Arrays;

/**
 * Source positions grouped by the target they add into, for deterministic scatter-adds: target
 * {@code targets[u]} receives positions {@code positions[starts[u] … starts[u + 1])}, in the
 * order they appear, which is the order the CPU adds them in.
 */
record IndexGroups(int[] targets, int[] starts, int[] positions) {
    /** Groups positions p = 0 … keys.length−1 by keys[p] (each in [0, 2^31)). */
    static IndexGroups of(int[] keys) {
        long[] order = new long[keys.length];
        for (int p = 0; p < keys.length; p++) order[p] = ((long) keys[p] << 32) | p;
        Arrays.sort(order);
        int groups = 0;
        for (int i = 0; i < order.length; i++) if (i == 0 || order[i] >>> 32 != order[i - 1] >>> 32) groups++;
        int[] targets = new int[groups], starts = new int[groups + 1], positions = new int[keys.length];
        for (int i = 0, u = -1; i < order.length; i++) {
            if (i == 0 || order[i] >>> 32 != order[i - 1] >>> 32) {
                targets[++u] = (int) (order[i] >>> 32);
                starts[u] = i;
            }
            positions[i] = (int) order[i];
        }
        starts[groups] = keys.length;
        return new IndexGroups(targets, starts, positions);
    }

    int groups() {
        return targets.length;
    }
}

package dev.strand.autograd;

/**
 * Whether operations record a graph, per thread. Inside {@code try (var s = GradMode.off()) {…}}
 * results carry no graph and cost no memory for the backward pass (inference, optimizer steps,
 * finite differences).
 */
public final class GradMode {
    private static final ThreadLocal<int[]> DISABLED_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private GradMode() {}

    /** True unless inside an {@link #off()} scope on this thread. */
    public static boolean enabled() {
        return DISABLED_DEPTH.get()[0] == 0;
    }

    /** A scope without graph recording; close it to restore the previous mode. Scopes nest. */
    public static Scope off() {
        int[] depth = DISABLED_DEPTH.get();
        depth[0]++;
        return () -> depth[0]--;
    }

    /** A no-grad scope; closing it never throws. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}

package dev.strand.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The most heap a run kept alive: after every major garbage collection the heap still in use is
 * noted, and the peak is what the run needed (the heap's size before a collection says only how
 * lazily the collector ran, and after a minor one it still counts dead promoted objects). A run
 * with a small {@code -Xmx} collects often, so the peak is close to the true one. Closing stops
 * listening.
 */
final class HeapWatch implements AutoCloseable {
    private final AtomicLong peak = new AtomicLong();
    private final List<Runnable> detach = new ArrayList<>();

    HeapWatch() {
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) if (pool.getType() == MemoryType.HEAP) heapPools.add(pool.getName());
        NotificationListener listener = (notification, handback) -> {
            if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
            var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            // After a minor collection the old generation still holds whatever died after promotion;
            // only a major one leaves the live set.
            if (!info.getGcAction().contains("major")) return;
            long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                    .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
            peak.accumulateAndGet(used, Math::max);
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                detach.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (javax.management.ListenerNotFoundException ignored) {
                        // already gone
                    }
                });
            }
        }
    }

    /** Collects once more (so a run with no major collection still has a figure) and gives the peak live heap in bytes. */
    long peakLiveBytes() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return Math.max(peak.get(), r.totalMemory() - r.freeMemory());
    }

    @Override
    public void close() {
        detach.forEach(Runnable::run);
    }
}

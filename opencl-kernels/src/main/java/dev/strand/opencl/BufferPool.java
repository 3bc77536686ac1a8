package dev.strand.opencl;

import static org.jocl.CL.*;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.jocl.CLException;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/**
 * Device buffers, pooled. Sizes are rounded up to size classes (four per power of two, so at most
 * a quarter is wasted) and a released buffer waits in its class for the next request of that
 * class. A tensor's buffer comes back when its storage becomes unreachable: each storage is
 * watched by a phantom reference, and every allocation first takes back the buffers of
 * collected storages. Dead tensors weigh little on the Java heap, so the collector would rarely
 * find them by itself: after every eighth of the budget handed out (or what
 * {@link #setCollectEvery} says), a garbage collection is asked for, which keeps the pool near the
 * live tensors plus that eighth and lets a training loop reuse its own buffers from the first
 * steps on. When the device budget would be exceeded, idle pooled
 * buffers are freed and, if that is not enough, a collection is asked for so that dead tensors
 * return theirs; only then is the request refused with {@link OutOfDeviceMemoryException}.
 *
 * <p>Reuse is safe without waiting for the device: all work goes through one in-order queue, so
 * whatever a new owner enqueues runs after everything the old owner enqueued.
 */
final class BufferPool implements AutoCloseable {
    /** A device buffer of {@code bytes} (its size class). */
    record Buffer(cl_mem mem, long bytes) {}

    private static final long MIB = 1 << 20;

    private final cl_context context;
    private final String deviceName;
    private long budget;
    private final long maxAlloc;
    private final Map<Long, ArrayDeque<cl_mem>> idle = new HashMap<>();
    private final ReferenceQueue<ClStorage> collected = new ReferenceQueue<>();
    private final Set<StorageRef> watched = new HashSet<>();
    private long inUse, pooled, created;
    /** Bytes handed out since the last garbage collection this pool asked for. */
    private long handedOutSinceCollection;
    /** Bytes handed out between the collections it asks for; 0 means an eighth of the budget. */
    private long collectEvery;
    private boolean closed;

    /** A storage's buffer, handed back when the storage is collected. */
    private static final class StorageRef extends PhantomReference<ClStorage> {
        final Buffer buffer;

        StorageRef(ClStorage s, Buffer buffer, ReferenceQueue<ClStorage> q) {
            super(s, q);
            this.buffer = buffer;
        }
    }

    BufferPool(cl_context context, String deviceName, long budgetBytes, long maxAllocBytes) {
        this.context = context;
        this.deviceName = deviceName;
        this.budget = budgetBytes;
        this.maxAlloc = maxAllocBytes;
    }

    /** The size class of a request: at least 256 bytes, rounded up to a quarter of its power of two. */
    static long sizeClass(long bytes) {
        long b = Math.max(bytes, 256);
        int log = 63 - Long.numberOfLeadingZeros(b);
        long step = 1L << Math.max(log - 2, 0);
        return (b + step - 1) / step * step;
    }

    /** A buffer of at least {@code bytes}, reused when one of its class is idle. */
    synchronized Buffer acquire(long bytes) {
        if (closed) throw new IllegalStateException(deviceName + ": the OpenCL backend is closed");
        reclaim();
        long size = sizeClass(bytes);
        if (handedOutSinceCollection + size > (collectEvery > 0 ? collectEvery : budget / 8)) collectGarbage();
        if (size > maxAlloc) {
            if (bytes > maxAlloc) {
                throw new OutOfDeviceMemoryException(String.format("%s: a buffer of %s is larger than the device's largest buffer (%s)",
                        deviceName, mib(bytes), mib(maxAlloc)), bytes, budget - inUse);
            }
            size = bytes;
        }
        cl_mem reused = take(size);
        if (reused != null) return checkedOut(reused, size);
        if (inUse + pooled + size > budget) trimIdle(inUse + pooled + size - budget);
        if (inUse + size > budget) {
            collectGarbage();
            reused = take(size);
            if (reused != null) return checkedOut(reused, size);
            trimIdle(inUse + pooled + size - budget);
        }
        if (inUse + size > budget) throw outOfMemory(bytes);
        try {
            return checkedOut(create(size), size);
        } catch (CLException e) {
            // The driver is out of memory below our budget (other processes use the device too).
            collectGarbage();
            trimIdle(Long.MAX_VALUE);
            try {
                return checkedOut(create(size), size);
            } catch (CLException again) {
                throw outOfMemory(bytes);
            }
        }
    }

    /** Watches {@code storage}: its buffer returns to the pool once the storage is unreachable. */
    synchronized void watch(ClStorage storage) {
        watched.add(new StorageRef(storage, storage.buffer(), collected));
    }

    /** Returns a buffer that nothing references any more (temporaries) to its class. */
    synchronized void release(Buffer b) {
        if (closed) return;
        inUse -= b.bytes();
        pooled += b.bytes();
        idle.computeIfAbsent(b.bytes(), k -> new ArrayDeque<>()).push(b.mem());
    }

    /**
     * Takes back the buffers of dead tensors (after asking for a garbage collection) and frees
     * every idle buffer; returns the bytes freed. What live tensors hold stays.
     */
    synchronized long releaseUnused() {
        collectGarbage();
        reclaim();
        long before = pooled;
        trimIdle(Long.MAX_VALUE);
        return before - pooled;
    }

    /** In use, pooled, budget and buffers created, read at one moment. */
    synchronized long[] stats() {
        reclaim();
        return new long[] {inUse, pooled, budget, created};
    }

    /** Caps what this pool may hold on the device; idle buffers above the cap are freed. */
    synchronized void setBudget(long bytes) {
        budget = bytes;
        if (inUse + pooled > budget) trimIdle(inUse + pooled - budget);
    }

    /**
     * Asks for a collection after every {@code bytes} handed out: 0 for an eighth of the budget
     * (the default), {@link Long#MAX_VALUE} for only when the budget is reached.
     */
    synchronized void setCollectEvery(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("collect every " + bytes + " bytes: must be 0 (an eighth of the budget) or more");
        collectEvery = bytes;
    }

    private cl_mem take(long size) {
        ArrayDeque<cl_mem> q = idle.get(size);
        if (q == null || q.isEmpty()) return null;
        pooled -= size;
        return q.pop();
    }

    private Buffer checkedOut(cl_mem mem, long size) {
        inUse += size;
        handedOutSinceCollection += size;
        return new Buffer(mem, size);
    }

    private cl_mem create(long size) {
        cl_mem m = clCreateBuffer(context, CL_MEM_READ_WRITE, size, null, null);
        created++;
        return m;
    }

    /** Takes back the buffers of storages the garbage collector found unreachable. */
    private void reclaim() {
        for (Reference<? extends ClStorage> r; (r = collected.poll()) != null; ) giveBack((StorageRef) r);
    }

    private void giveBack(StorageRef r) {
        if (watched.remove(r)) release(r.buffer);
    }

    /** Asks for a collection and waits briefly for dead tensors' buffers to come back. */
    private void collectGarbage() {
        handedOutSinceCollection = 0;
        System.gc();
        try {
            for (int round = 0; round < 20; round++) {
                Reference<? extends ClStorage> r = collected.remove(round == 0 ? 200 : 20);
                if (r == null) break;
                giveBack((StorageRef) r);
                reclaim();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Frees idle buffers, largest classes first, until {@code bytes} are freed or none are left. */
    private void trimIdle(long bytes) {
        long freed = 0;
        Iterator<Map.Entry<Long, ArrayDeque<cl_mem>>> it = idle.entrySet().stream()
                .sorted(Map.Entry.<Long, ArrayDeque<cl_mem>>comparingByKey().reversed()).toList().iterator();
        while (freed < bytes && it.hasNext()) {
            Map.Entry<Long, ArrayDeque<cl_mem>> e = it.next();
            while (freed < bytes && !e.getValue().isEmpty()) {
                clReleaseMemObject(e.getValue().pop());
                pooled -= e.getKey();
                freed += e.getKey();
            }
        }
        idle.values().removeIf(ArrayDeque::isEmpty);
    }

    private OutOfDeviceMemoryException outOfMemory(long bytes) {
        long free = Math.max(0, budget - inUse);
        return new OutOfDeviceMemoryException(String.format(
                "%s: out of device memory: asked for %s, %s free of %s (live tensors hold %s); "
                        + "use a smaller batch or model, or raise the budget with -Dstrand.opencl.memory=MiB",
                deviceName, mib(bytes), mib(free), mib(budget), mib(inUse)), bytes, free);
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (double) MIB);
    }

    /** Frees every buffer, idle or live; tensors of this device are unusable afterwards. */
    @Override
    public synchronized void close() {
        if (closed) return;
        trimIdle(Long.MAX_VALUE);
        for (StorageRef r : watched) clReleaseMemObject(r.buffer.mem());
        watched.clear();
        inUse = 0;
        closed = true;
    }
}

package dev.strand.tensor.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one shared pool that splits CPU kernels across cores.
 *
 * <p>The number of threads comes from the system property {@code strand.threads} (default: all
 * available processors) and can be changed with {@link #setThreads}. Work smaller than its grain
 * runs on the calling thread; a kernel that is already running inside the pool never forks again,
 * so nested kernels cannot deadlock.
 */
public final class Parallel {
    private static volatile int threads = Integer.getInteger("strand.threads",
            Runtime.getRuntime().availableProcessors());
    private static ExecutorService pool;
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    /** Body of a parallel loop over the half-open index range [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private Parallel() {}

    /** Threads the kernels use. */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads the kernels use from now on (at least 1). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        if (n != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = n;
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            AtomicInteger id = new AtomicInteger();
            pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
                Thread t = new Thread(() -> {
                    INSIDE.set(true);
                    r.run();
                }, "strand-kernel-" + id.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }

    /**
     * Runs {@code body} over [0, n) in chunks of at least {@code grain} indices, spread over the
     * pool and the calling thread; returns when all chunks are done. Exceptions are rethrown.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int workers = threads;
        grain = Math.max(1, grain);
        if (workers == 1 || n <= grain || INSIDE.get()) {
            body.run(0, n);
            return;
        }
        // A few chunks per thread balance uneven cores without much scheduling cost.
        int chunks = (int) Math.min((long) workers * 4, (n + (long) grain - 1) / grain);
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        int chunkSize = (n + chunks - 1) / chunks;
        int realChunks = (n + chunkSize - 1) / chunkSize;
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            int c;
            while ((c = next.getAndIncrement()) < realChunks && failure.get() == null) {
                int start = c * chunkSize;
                try {
                    body.run(start, Math.min(n, start + chunkSize));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }
        };
        int helpers = Math.min(workers, realChunks) - 1;
        CountDownLatch done = new CountDownLatch(helpers);
        ExecutorService p = pool();
        for (int i = 0; i < helpers; i++) {
            p.execute(() -> {
                try {
                    worker.run();
                } finally {
                    done.countDown();
                }
            });
        }
        INSIDE.set(true);
        try {
            worker.run();
        } finally {
            INSIDE.set(false);
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for kernel threads", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
        if (t != null) throw new IllegalStateException(t);
    }

    /** Runs {@code body(i)} for each task i in [0, tasks), one task per chunk. */
    public static void forEach(int tasks, java.util.function.IntConsumer body) {
        forRange(tasks, 1, (s, e) -> {
            for (int i = s; i < e; i++) body.accept(i);
        });
    }
}

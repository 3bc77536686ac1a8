package dev.strand.tensor.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one shared pool that splits CPU kernels across cores.
 *
 * <p>The number of threads comes from the system property {@code strand.threads} (default: all
 * available processors) and can be changed with {@link #setThreads}. Work smaller than its grain
 * runs on the calling thread; a kernel that is already running inside the pool never forks again,
 * so nested kernels cannot deadlock, and a second thread that calls in while the pool is busy runs
 * its kernel by itself.
 *
 * <p>Workers spin for a short while ({@code strand.spinMicros}, default 200 µs) after each job
 * before they park, as OpenMP's threads do: a model runs hundreds of small kernels back to back,
 * and waking a parked thread costs tens of microseconds, more than many of those kernels take.
 */
public final class Parallel {
    private static volatile int threads = Integer.getInteger("strand.threads",
            Runtime.getRuntime().availableProcessors());
    private static final long SPIN_NANOS = Long.getLong("strand.spinMicros", 200) * 1000;
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);
    private static final ReentrantLock CALLER = new ReentrantLock();
    private static Worker[] workers = new Worker[0];
    /** The job on offer; workers take part in each job once, told apart by its epoch. */
    private static volatile Job current;
    private static long epoch;

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
    public static void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be >= 1, got " + n);
        CALLER.lock();
        try {
            if (n != threads) stopWorkers();
            threads = n;
        } finally {
            CALLER.unlock();
        }
    }

    /**
     * Runs {@code body} over [0, n) in chunks of at least {@code grain} indices, spread over the
     * pool and the calling thread; returns when all chunks are done. Exceptions are rethrown.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int workerCount = threads;
        grain = Math.max(1, grain);
        // A few chunks per thread balance uneven cores without much scheduling cost.
        int chunks = (int) Math.min((long) workerCount * 4, (n + (long) grain - 1) / grain);
        if (workerCount == 1 || chunks <= 1 || INSIDE.get() || !CALLER.tryLock()) {
            body.run(0, n);
            return;
        }
        try {
            int chunkSize = (n + chunks - 1) / chunks;
            Job job = new Job(body, n, chunkSize, (n + chunkSize - 1) / chunkSize, ++epoch);
            Worker[] pool = workers(workerCount - 1);
            current = job;
            for (int i = 0; i < Math.min(pool.length, job.chunks - 1); i++) pool[i].wake();
            INSIDE.set(true);
            try {
                job.work();
            } finally {
                INSIDE.set(false);
            }
            job.awaitChunks();
            current = null;
            Throwable t = job.failure;
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error err) throw err;
            if (t != null) throw new IllegalStateException(t);
        } finally {
            CALLER.unlock();
        }
    }

    /** Runs {@code body(i)} for each task i in [0, tasks), one task per chunk. */
    public static void forEach(int tasks, java.util.function.IntConsumer body) {
        forRange(tasks, 1, (s, e) -> {
            for (int i = s; i < e; i++) body.accept(i);
        });
    }

    /**
     * One parallel loop: chunks handed out first come, first served. The caller waits for the
     * chunks, not for the workers, so a worker that the OS has not scheduled yet never holds it
     * up: the caller takes its chunks, and the worker finds none left when it arrives.
     */
    private static final class Job {
        final RangeBody body;
        final int n, chunkSize, chunks;
        final long epoch;
        final AtomicInteger next = new AtomicInteger(), completed = new AtomicInteger();
        volatile Throwable failure;

        Job(RangeBody body, int n, int chunkSize, int chunks, long epoch) {
            this.body = body;
            this.n = n;
            this.chunkSize = chunkSize;
            this.chunks = chunks;
            this.epoch = epoch;
        }

        void work() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                int start = c * chunkSize;
                try {
                    if (failure == null) body.run(start, Math.min(n, start + chunkSize));
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                } finally {
                    completed.incrementAndGet();
                }
            }
        }

        void awaitChunks() {
            long start = System.nanoTime();
            for (int spins = 0; completed.get() < chunks; spins++) {
                Thread.onSpinWait();
                if ((spins & 1023) == 1023 && System.nanoTime() - start > SPIN_NANOS) Thread.yield();
            }
        }
    }

    /** Called with CALLER held: the first {@code count} workers, started on first use. */
    private static Worker[] workers(int count) {
        if (workers.length < count) {
            Worker[] grown = java.util.Arrays.copyOf(workers, count);
            for (int i = workers.length; i < count; i++) {
                grown[i] = new Worker("strand-kernel-" + (i + 1));
                grown[i].start();
            }
            workers = grown;
        }
        return workers;
    }

    private static void stopWorkers() {
        for (Worker w : workers) {
            w.stopped = true;
            LockSupport.unpark(w);
        }
        workers = new Worker[0];
    }

    /** A kernel thread: takes part in each new job, spins a while for the next, then parks. */
    private static final class Worker extends Thread {
        volatile boolean parked, stopped;
        private long seen;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void wake() {
            if (parked) LockSupport.unpark(this);
        }

        @Override
        public void run() {
            INSIDE.set(true);
            while (!stopped) {
                Job job = awaitJob();
                if (job == null) continue;
                seen = job.epoch;
                job.work();
            }
        }

        /** The next job not yet seen, or null when stopped or woken spuriously. */
        private Job awaitJob() {
            long start = System.nanoTime();
            for (int spins = 0; ; spins++) {
                Job job = current;
                if (job != null && job.epoch != seen) return job;
                if (stopped) return null;
                if ((spins & 255) != 255 || System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                job = current;
                if (job == null || job.epoch == seen) LockSupport.park(this);
                parked = false;
                start = System.nanoTime();
            }
        }
    }
}

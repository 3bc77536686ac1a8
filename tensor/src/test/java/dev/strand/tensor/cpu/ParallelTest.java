package dev.strand.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kernel pool: every index exactly once, errors rethrown, nesting and concurrent callers safe. */
class ParallelTest {
    private final int before = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(before);
    }

    private static void assertEachIndexOnce(int n, int grain) {
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        Parallel.forRange(n, grain, (s, e) -> {
            for (int i = s; i < e; i++) hits.incrementAndGet(i);
        });
        for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i + " of " + n);
    }

    @Test
    void coversEveryIndexOnceForManyShapesAndThreadCounts() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            Parallel.setThreads(threads);
            for (int n : new int[] {1, 2, 7, 33, 129, 1000}) {
                for (int grain : new int[] {1, 3, 64}) assertEachIndexOnce(n, grain);
            }
        }
    }

    @Test
    void manyBackToBackJobsAllComplete() {
        Parallel.setThreads(3);
        AtomicInteger total = new AtomicInteger();
        for (int job = 0; job < 20_000; job++) {
            Parallel.forRange(12, 1, (s, e) -> total.addAndGet(e - s));
        }
        assertEquals(20_000 * 12, total.get());
    }

    @Test
    void rethrowsTheFirstFailureAndStaysUsable() {
        Parallel.setThreads(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, 1, (s, end) -> {
            if (s <= 50 && 50 < end) throw new IllegalStateException("chunk with 50");
        }));
        assertEquals("chunk with 50", e.getMessage());
        assertEachIndexOnce(100, 1);
    }

    @Test
    void nestedLoopsRunInlineWithoutDeadlock() {
        Parallel.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(64 * 64);
        Parallel.forRange(64, 1, (s, e) -> {
            for (int i = s; i < e; i++) {
                int row = i;
                Parallel.forRange(64, 1, (s2, e2) -> {
                    for (int j = s2; j < e2; j++) hits.incrementAndGet(row * 64 + j);
                });
            }
        });
        for (int i = 0; i < hits.length(); i++) assertEquals(1, hits.get(i));
    }

    @Test
    void concurrentCallersEachGetTheirWholeRange() throws Exception {
        Parallel.setThreads(2);
        int callers = 4, n = 500;
        AtomicIntegerArray hits = new AtomicIntegerArray(callers * n);
        Thread[] ts = new Thread[callers];
        for (int c = 0; c < callers; c++) {
            int base = c * n;
            ts[c] = new Thread(() -> {
                for (int rep = 0; rep < 200; rep++) {
                    Parallel.forRange(n, 8, (s, e) -> {
                        for (int i = s; i < e; i++) hits.incrementAndGet(base + i);
                    });
                }
            });
            ts[c].start();
        }
        for (Thread t : ts) t.join(60_000);
        for (int i = 0; i < hits.length(); i++) assertEquals(200, hits.get(i), "index " + i);
        assertTrue(Parallel.threads() == 2);
    }
}

package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelTest {
    private int saved;

    @BeforeEach
    void save() {
        saved = Parallel.threads();
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void everyPartRunsExactlyOnce(int threads) {
        Parallel.setThreads(threads);
        for (int parts : new int[] {0, 1, 2, 3, 7, 64, 1000}) {
            for (int repeat = 0; repeat < 50; repeat++) {
                AtomicIntegerArray counts = new AtomicIntegerArray(parts);
                Parallel.run(parts, counts::incrementAndGet);
                for (int i = 0; i < parts; i++) {
                    assertEquals(1, counts.get(i), "part " + i + " of " + parts + " with " + threads + " threads");
                }
            }
        }
    }

    @Test
    void usesMoreThanOneThreadWhenAsked() {
        Parallel.setThreads(2);
        java.util.Set<Thread> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        // Parts that take a little while give the worker time to wake up and claim some.
        for (int repeat = 0; repeat < 20 && seen.size() < 2; repeat++) {
            Parallel.run(8, i -> {
                seen.add(Thread.currentThread());
                long until = System.nanoTime() + 2_000_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            });
        }
        assertEquals(2, seen.size(), "threads that ran parts: " + seen);
    }

    @Test
    void nestedCallsRunInlineWithoutDeadlock() {
        Parallel.setThreads(2);
        AtomicInteger total = new AtomicInteger();
        Parallel.run(6, i -> Parallel.run(5, j -> Parallel.run(3, l -> total.incrementAndGet())));
        assertEquals(6 * 5 * 3, total.get());
    }

    @Test
    void knowsWhenItIsInsideAPart() {
        Parallel.setThreads(2);
        assertTrue(!Parallel.insideParallel());
        AtomicInteger inside = new AtomicInteger();
        Parallel.run(8, i -> {
            if (Parallel.insideParallel()) {
                inside.incrementAndGet();
            }
        });
        assertEquals(8, inside.get());
        assertTrue(!Parallel.insideParallel());
    }

    @Test
    void exceptionsReachTheCaller() {
        Parallel.setThreads(2);
        IllegalStateException boom = new IllegalStateException("part 3 failed");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallel.run(10, i -> {
            if (i == 3) {
                throw boom;
            }
        }));
        assertSame(boom, thrown);
        // The pool still works afterwards.
        AtomicInteger count = new AtomicInteger();
        Parallel.run(10, i -> count.incrementAndGet());
        assertEquals(10, count.get());
    }

    @Test
    void concurrentCallersAllComplete() throws InterruptedException {
        Parallel.setThreads(2);
        AtomicInteger total = new AtomicInteger();
        Thread[] callers = new Thread[3];
        for (int t = 0; t < callers.length; t++) {
            callers[t] = new Thread(() -> {
                for (int r = 0; r < 200; r++) {
                    Parallel.run(4, i -> total.incrementAndGet());
                }
            });
            callers[t].start();
        }
        for (Thread c : callers) {
            c.join(30_000);
            assertTrue(!c.isAlive(), "a caller did not finish");
        }
        assertEquals(3 * 200 * 4, total.get());
    }

    @Test
    void rejectsBadArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Parallel.run(-1, i -> { }));
    }
}

package org.weightnorm4j.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * The one process-wide thread pool every kernel shares.
 *
 * <p>{@link #run(int, IntConsumer)} splits a job into numbered parts and runs them on a fixed set of
 * daemon worker threads plus the calling thread, returning when every part has finished. Why a
 * pool of our own instead of {@code ForkJoinPool}: a kernel call must not allocate in the steady
 * state and must start in microseconds, so the pool publishes a job by bumping a generation counter
 * that idle workers watch (spinning briefly, then parking), and hands out parts from one atomic
 * counter.
 *
 * <p>Which thread runs which part depends on scheduling, so a caller that wants reproducible results
 * must make each part's output independent of the others (give each part its own rows of C, its own
 * output channels, ...). Calls made from inside a part, from a worker, or while another thread
 * holds the pool run inline on the calling thread, so nesting never deadlocks.
 *
 * <p>Thread count: {@link #setThreads(int)}, or the system property {@value #PROPERTY}; the
 * default is {@link Runtime#availableProcessors()}.
 *
 * <p>Public API: the thread count ({@link #PROPERTY}, {@link #threads()}, {@link #setThreads(int)}).
 * {@link #run(int, IntConsumer)} and {@link #insideParallel()} are internal (the layers and
 * optimizers of this library use them): not part of the public API; may change without notice.
 */
public final class Parallel {
    /** System property that sets the initial number of threads (caller included). */
    public static final String PROPERTY = "weightnorm4j.threads";

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static volatile Pool pool;
    private static volatile int threads = initialThreads();

    private Parallel() {
    }

    /** The number of threads a job may use, the caller included. */
    public static int threads() {
        return threads;
    }

    /**
     * Whether the calling thread is running a part of a job right now (as a worker, or as the
     * caller taking its share). A {@link #run} from here would run inline, so a kernel can choose
     * its single-threaded path directly.
     */
    public static boolean insideParallel() {
        return Thread.currentThread() instanceof Worker || LOCK.isHeldByCurrentThread();
    }

    /**
     * Sets the number of threads (caller included); takes effect for the next job. Waits for a job
     * that is running to finish.
     */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1 but got " + n);
        }
        if (Thread.currentThread() instanceof Worker) {
            throw new IllegalStateException("setThreads cannot be called from inside a parallel part");
        }
        LOCK.lock();
        try {
            if (n != threads) {
                Pool old = pool;
                pool = null;
                threads = n;
                if (old != null) {
                    old.shutdown();
                }
            }
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Runs {@code part.accept(i)} for every {@code i} in {@code [0, parts)}, spread over the pool with
     * the calling thread taking parts too; returns when all are done. If parts throw, the remaining
     * parts are skipped and the first exception is rethrown here.
     */
    public static void run(int parts, IntConsumer part) {
        if (parts < 0) {
            throw new IllegalArgumentException("parts must be at least 0 but got " + parts);
        }
        if (parts == 0) {
            return;
        }
        if (parts == 1 || threads == 1 || Thread.currentThread() instanceof Worker || !LOCK.tryLock()) {
            runInline(parts, part);
            return;
        }
        try {
            if (LOCK.getHoldCount() > 1) {
                // Nested call from a part running on the calling thread.
                runInline(parts, part);
                return;
            }
            Pool p = pool;
            if (p == null) {
                p = new Pool(threads - 1);
                pool = p;
            }
            p.run(parts, part);
        } finally {
            LOCK.unlock();
        }
    }

    private static void runInline(int parts, IntConsumer part) {
        for (int i = 0; i < parts; i++) {
            part.accept(i);
        }
    }

    private static int initialThreads() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + " is not a positive thread count");
    }

    /** A worker thread of the pool; identifies nested calls by its type. */
    private static final class Worker extends Thread {
        private final Pool pool;

        Worker(Pool pool, int index) {
            super("weightnorm4j-worker-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            pool.workLoop();
        }
    }

    /**
     * Job state. {@code ctl} packs the job's generation (high 32 bits) and the next unclaimed part
     * (low 32 bits). A worker claims a part by compare-and-set on the whole word, so a worker still
     * holding an old generation can never claim a part of a newer job: before the task fields are
     * replaced the generation is moved on (with the index set to {@link #CLOSED}).
     */
    private static final class Pool {
        private static final int CLOSED = Integer.MAX_VALUE;
        private static final int SPINS = 20_000;

        private final Worker[] workers;
        private final AtomicLong ctl = new AtomicLong(pack(0, CLOSED));
        private final AtomicInteger pending = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile IntConsumer task;
        private volatile int parts;
        private volatile Thread caller;
        private volatile boolean stopped;
        private int generation;

        Pool(int workerCount) {
            workers = new Worker[workerCount];
            for (int i = 0; i < workerCount; i++) {
                workers[i] = new Worker(this, i);
                workers[i].start();
            }
        }

        void run(int n, IntConsumer part) {
            int gen = ++generation;
            ctl.set(pack(gen, CLOSED));          // stale claims fail from here on
            task = part;
            parts = n;
            failure.set(null);
            pending.set(n);
            caller = Thread.currentThread();
            ctl.set(pack(gen, 0));               // publish
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
            work(gen);
            int spins = 0;
            while (pending.get() != 0) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            ctl.set(pack(gen, CLOSED));
            task = null;
            caller = null;
            Throwable t = failure.getAndSet(null);
            if (t instanceof RuntimeException) {
                throw (RuntimeException) t;
            }
            if (t instanceof Error) {
                throw (Error) t;
            }
            if (t != null) {
                throw new IllegalStateException("a parallel part failed", t);
            }
        }

        /** Claims and runs parts of generation {@code gen} until none is left. */
        private void work(int gen) {
            while (true) {
                long v = ctl.get();
                int index = (int) v;
                if ((int) (v >>> 32) != gen || index == CLOSED) {
                    return;
                }
                IntConsumer t = task;
                int n = parts;
                if (index >= n) {
                    return;
                }
                if (!ctl.compareAndSet(v, v + 1)) {
                    continue;
                }
                try {
                    if (failure.get() == null) {
                        t.accept(index);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    if (pending.decrementAndGet() == 0) {
                        Thread c = caller;
                        if (c != null) {
                            LockSupport.unpark(c);
                        }
                    }
                }
            }
        }

        void workLoop() {
            int seen = 0;
            int spins = 0;
            while (!stopped) {
                long v = ctl.get();
                int gen = (int) (v >>> 32);
                if (gen != seen && (int) v != CLOSED) {
                    seen = gen;
                    work(gen);
                    spins = 0;
                } else if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }

        void shutdown() {
            stopped = true;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
        }

        private static long pack(int gen, int index) {
            return ((long) gen << 32) | (index & 0xFFFFFFFFL);
        }
    }
}

package org.weightnorm4j.tensor;

import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A free list of a kernel's per-call jobs (their work buffers grown to the largest layer), so that
 * a call allocates nothing once warm and two threads calling at once simply take two jobs.
 * {@link DirectConv}, {@link WinogradConv} and {@link Float32Conv} keep their own copies of this
 * pattern; {@link ChannelVectorConv} uses this one.
 */
final class JobPool<J> {
    private final ArrayDeque<J> free = new ArrayDeque<>();
    private final Supplier<J> create;
    /** Drops what a job must not keep alive between calls (the caller's arrays). */
    private final Consumer<J> clear;

    JobPool(Supplier<J> create, Consumer<J> clear) {
        this.create = create;
        this.clear = clear;
    }

    J take() {
        J job;
        synchronized (free) {
            job = free.poll();
        }
        return job != null ? job : create.get();
    }

    void give(J job) {
        clear.accept(job);
        synchronized (free) {
            free.push(job);
        }
    }
}

package org.weightnorm4j.tensor;

/**
 * A thread's work arrays for a convolution kernel, by slot: each only grows (to the largest layer
 * seen), so a call allocates nothing once warm. Held in a {@link ThreadLocal} ({@link #perThread}):
 * one set per pool thread, used by one part at a time.
 */
class WorkArrays {
    private final float[][] arrays;

    WorkArrays(int slots) {
        arrays = new float[slots][0];
    }

    static ThreadLocal<WorkArrays> perThread(int slots) {
        return ThreadLocal.withInitial(() -> new WorkArrays(slots));
    }

    /** Slot {@code slot}'s array, grown to at least {@code size} floats (its contents are not kept when it grows). */
    final float[] atLeast(int slot, int size) {
        if (arrays[slot].length < size) {
            arrays[slot] = new float[size];
        }
        return arrays[slot];
    }
}

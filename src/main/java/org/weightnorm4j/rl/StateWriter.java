package org.weightnorm4j.rl;

import java.util.Arrays;

/** Collects a game's state as integers, for {@link EnvironmentState}. */
final class StateWriter {
    private int[] values = new int[64];
    private int size;

    void put(int v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    void put(boolean v) {
        put(v ? 1 : 0);
    }

    void put(int[] vs) {
        put(vs.length);
        for (int v : vs) {
            put(v);
        }
    }

    void put(boolean[] vs) {
        put(vs.length);
        for (boolean v : vs) {
            put(v);
        }
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}

package org.weightnorm4j.rl;

/** Reads back what a {@link StateWriter} wrote, in the same order. */
final class StateReader {
    private final int[] values;
    private int next;

    StateReader(int[] values) {
        this.values = values;
    }

    int getInt() {
        if (next >= values.length) {
            throw new IllegalArgumentException("environment state too short: " + values.length + " values");
        }
        return values[next++];
    }

    boolean getBoolean() {
        return getInt() != 0;
    }

    void getInts(int[] into) {
        requireLength(into.length);
        for (int i = 0; i < into.length; i++) {
            into[i] = getInt();
        }
    }

    void getBooleans(boolean[] into) {
        requireLength(into.length);
        for (int i = 0; i < into.length; i++) {
            into[i] = getBoolean();
        }
    }

    private void requireLength(int expected) {
        int n = getInt();
        if (n != expected) {
            throw new IllegalArgumentException("environment state holds an array of " + n + ", expected " + expected);
        }
    }

    void requireEnd() {
        if (next != values.length) {
            throw new IllegalArgumentException("environment state has " + (values.length - next) + " values too many");
        }
    }
}

package org.weightnorm4j.rl;

import java.util.Arrays;

/**
 * An ordered list of small integer records (x, y, direction and up to two timers), standing in for
 * the Python lists of lists MinAtar's Seaquest keeps. Order matters there (objects are updated
 * newest first and removal is by value), so this keeps Python's semantics: {@link #add} appends,
 * {@link #removeFirstEqualTo} removes the first record equal to a given one, as
 * {@code list.remove} does. Storage grows by doubling and is then reused: steady stepping allocates
 * nothing.
 */
final class EntityList {
    static final int X = 0;
    static final int Y = 1;
    /** 1 if moving right, 0 if moving left. */
    static final int MOVES_RIGHT = 2;
    /** The first timer (moves, or for divers their only timer). */
    static final int TIMER = 3;
    /** The second timer (an enemy sub's shots). */
    static final int SHOT_TIMER = 4;

    private final int fields;
    private int[] data;
    private int size;

    EntityList(int fields, int initialCapacity) {
        this.fields = fields;
        this.data = new int[fields * initialCapacity];
    }

    int size() {
        return size;
    }

    int get(int i, int field) {
        return data[i * fields + field];
    }

    void set(int i, int field, int value) {
        data[i * fields + field] = value;
    }

    void clear() {
        size = 0;
    }

    /** Appends a record; fields beyond this list's width are ignored. */
    void add(int x, int y, int right, int timer, int shotTimer) {
        if ((size + 1) * fields > data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        int o = size * fields;
        data[o] = x;
        data[o + 1] = y;
        data[o + 2] = right;
        if (fields > TIMER) {
            data[o + TIMER] = timer;
        }
        if (fields > SHOT_TIMER) {
            data[o + SHOT_TIMER] = shotTimer;
        }
        size++;
    }

    void removeAt(int i) {
        System.arraycopy(data, (i + 1) * fields, data, i * fields, (size - i - 1) * fields);
        size--;
    }

    /** The first record at (x, y), or -1. */
    int indexAt(int x, int y) {
        for (int i = 0; i < size; i++) {
            if (data[i * fields] == x && data[i * fields + 1] == y) {
                return i;
            }
        }
        return -1;
    }

    /** Whether some record is on row y moving the other way from {@code right}. */
    boolean opposingInRow(int y, int right) {
        for (int i = 0; i < size; i++) {
            if (data[i * fields + 1] == y && data[i * fields + 2] != right) {
                return true;
            }
        }
        return false;
    }

    /**
     * Python's {@code list.remove(record i)}: removes the first record whose every field equals
     * record i's (usually i itself) and returns its index.
     */
    int removeFirstEqualTo(int i) {
        for (int j = 0; j <= i; j++) {
            if (Arrays.equals(data, j * fields, (j + 1) * fields, data, i * fields, (i + 1) * fields)) {
                removeAt(j);
                return j;
            }
        }
        throw new IllegalStateException("unreachable: record " + i + " equals itself");
    }

    /**
     * Where record {@code current} is after {@link #removeFirstEqualTo} removed index {@code removed}:
     * -1 if it was the one removed, one lower if an equal record before it went instead.
     */
    static int afterRemoval(int current, int removed) {
        if (removed == current) {
            return -1;
        }
        return removed < current ? current - 1 : current;
    }

    void write(StateWriter w) {
        w.put(size);
        for (int i = 0; i < size * fields; i++) {
            w.put(data[i]);
        }
    }

    void read(StateReader r) {
        int n = r.getInt();
        if (n < 0 || n > 1 << 16) {
            throw new IllegalArgumentException("implausible list length in environment state: " + n);
        }
        if (n * fields > data.length) {
            data = new int[n * fields];
        }
        size = n;
        for (int i = 0; i < n * fields; i++) {
            data[i] = r.getInt();
        }
    }
}

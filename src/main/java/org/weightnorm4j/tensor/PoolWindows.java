package org.weightnorm4j.tensor;

/**
 * The offsets, within a plane of {@code h × w}, of the top-left taps of its 2x2 pooling windows
 * in row-major order, for the gathers of {@link PanamaVectorOps#maxPool2x2}. A network pools a
 * few plane sizes over and over, so the last few tables are kept: a call allocates nothing once
 * its size has been seen.
 */
final class PoolWindows {
    private static final int KEPT = 4;

    private final int[][] tables = new int[KEPT][];
    private final int[] heights = new int[KEPT];
    private final int[] widths = new int[KEPT];
    private int next;

    /** The table for planes of {@code h × w} (windows {@code (h/2)·(w/2)}). */
    synchronized int[] starts(int h, int w) {
        for (int i = 0; i < KEPT; i++) {
            if (tables[i] != null && heights[i] == h && widths[i] == w) {
                return tables[i];
            }
        }
        int oh = h / 2, ow = w / 2;
        int[] table = new int[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                table[i * ow + j] = 2 * i * w + 2 * j;
            }
        }
        tables[next] = table;
        heights[next] = h;
        widths[next] = w;
        next = (next + 1) % KEPT;
        return table;
    }
}

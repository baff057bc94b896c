package org.weightnorm4j.tensor;

/**
 * The right operand {@code op(B)} ({@code k × n}) of several products
 * {@code C_i = op(A_i) · op(B)}, prepared once by {@link Kernels#packB} and used by
 * {@link Kernels#gemmPackedB}: an LSTM multiplies every step's state by the same recurrent
 * weight, and re-packing that weight at each of 64 steps (forward, and again backward) was 5.5%
 * of an LSTM layer's training step (docs/BENCHMARKS.md). The mirror of {@link PackedA}.
 *
 * <p>Lifetime: the caller packs once per pass over fixed weights and must not change B while it
 * uses the packed copy; {@link #release} ends the pass (it forgets B, keeps the buffers, and any
 * later {@link Kernels#gemmPackedB} is refused until the next {@link Kernels#packB}). Packing again
 * reuses the buffers, so a pass allocates nothing once they are large enough. Not for use by two
 * threads at once while being packed.
 */
public final class PackedB {
    boolean transB;
    int k;
    int n;
    float[] b;
    int bOff;
    int ldb;
    /** The kernel's blocks of op(B), {@code (column block) · depthBlocks + (depth block)}; empty when the kernel does not pack. */
    float[][] blocks = new float[0][];
    /** Columns and depths per block, as the kernel that packed it blocks a product. */
    int blockCols;
    int blockDepth;
    int depthBlocks;
    /** Whether {@link #blocks} hold the current operand. */
    boolean isPacked;

    void set(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        this.transB = transB;
        this.k = k;
        this.n = n;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        this.isPacked = false;
    }

    /** Depths {@code k} of op(B): the columns of op(A) it multiplies. */
    public int depth() {
        return k;
    }

    /** Columns {@code n} of op(B): the columns of the product. */
    public int columns() {
        return n;
    }

    /** Whether an operand is held (packed since the last {@link #release}). */
    public boolean holdsOperand() {
        return b != null;
    }

    /**
     * Ends the pass: forgets the caller's matrix (the packed buffers are kept for the next
     * packing), so a stale copy can never be multiplied by mistake.
     */
    public void release() {
        b = null;
        isPacked = false;
    }

    /** Block {@code index}, grown to at least {@code size} floats (kept when large enough). */
    float[] block(int index, int size) {
        if (blocks.length <= index) {
            blocks = java.util.Arrays.copyOf(blocks, index + 1);
        }
        if (blocks[index] == null || blocks[index].length < size) {
            blocks[index] = new float[size];
        }
        return blocks[index];
    }

    /** The packed block at columns {@code jc}, depths {@code pc} (both multiples of the block sizes). */
    float[] blockAt(int jc, int pc) {
        return blocks[jc / blockCols * depthBlocks + pc / blockDepth];
    }
}

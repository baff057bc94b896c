package org.weightnorm4j.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The three transforms of Winograd's minimal filtering algorithm F(2x2, 3x3) (Lavin &amp; Gray,
 * "Fast Algorithms for Convolutional Neural Networks", 2016, §4.1): a 2x2 block of outputs of a
 * 3x3 correlation is
 * <pre>
 *   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
 * </pre>
 * with {@code g} the 3x3 filter, {@code d} the 4x4 input tile under the block, and
 * <pre>
 *   Bᵀ = | 1  0 -1  0 |     G = | 1    0    0  |     Aᵀ = | 1  1  1  0 |
 *        | 0  1  1  0 |         | ½    ½    ½  |          | 0  1 -1 -1 |
 *        | 0 -1  1  0 |         | ½   -½    ½  |
 *        | 0  1  0 -1 |         | 0    0    1  |
 * </pre>
 * 16 multiplications per block against 36. Summed over the input channels, the element-wise
 * product of each of the 16 points ξ becomes a matrix product, which {@link WinogradConv} hands to
 * the GEMM. The coefficients are 0, ±1 and ±½, so every transform is exact up to one rounding per
 * addition, and the error stays a small multiple of the direct convolution's
 * (docs/ARCHITECTURE.md, "Winograd convolutions").
 *
 * <p>Layouts: the transformed input {@code V} and the products {@code M} hold point ξ's matrix
 * from {@code ξ·pointStride}; row {@code r} (an input channel of V, an output channel of M) from
 * {@code r·tilesInGroup}; in a row, the tiles of image i from {@code i·tilesPerImage}, row-major
 * ({@code th·tilesW + tw}). Point {@code ξ = 4i + j} is row i, column j of the 4x4 tile.
 *
 * <p>The input and output transforms run on vectors over {@code tw}, the tiles of one tile row.
 * The last vector of a tile row may run past it: its extra lanes land on the next tile row (or
 * the next channel), which the caller writes afterwards, and past the last row on the
 * {@link #SLACK} floats that end every point's matrix.
 *
 * <p>The vectors are the preferred species, the one {@code PanamaGemm} and {@code PanamaVectorOps}
 * use, although 8 lanes would fit the cnn's 7- and 14-tile rows better: a second float species in
 * the same JVM spoils the JIT's type profiles inside the Vector API, its calls stop being
 * inlined, and every vector is boxed. Measured: the 16 products of a 28x28 layer fell from 88 to
 * 40 GF/s, with 300 MB of garbage per call.
 */
final class WinogradTransforms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector: tiles transformed at once. */
    static final int L = S.length();
    /** Floats after each point's matrix that the last vector of the last tile row may write into. */
    static final int SLACK = L;

    private WinogradTransforms() {
    }

    /** {@code n} rounded up to whole vectors. */
    static int vectorCeil(int n) {
        return (n + L - 1) / L * L;
    }

    /**
     * {@code u[ξ·outs·ins + o·ins + i] = (G g Gᵀ)[ξ]} for every filter. Forward: {@code g = w[o, i]}
     * of filters {@code [outs, ins, 3, 3]}. Backward-data ({@code flipped}): the filters are
     * {@code [ins, outs, 3, 3]} and {@code g[a][b] = w[i, o, 2−a, 2−b]}, the input gradient being the
     * convolution of the output gradient with the flipped filters, their channel axes swapped.
     * Computed in double and rounded once: it runs once per call, on a few thousand filters.
     * Filters of output channels {@code [oFrom, oTo)} only, so that threads can share the work.
     */
    static void filters(float[] w, int outs, int ins, boolean flipped, float[] u, int oFrom, int oTo) {
        int plane = outs * ins;
        double[] g = new double[9];
        double[] gg = new double[12];
        for (int o = oFrom; o < oTo; o++) {
            for (int i = 0; i < ins; i++) {
                int base = flipped ? (i * outs + o) * 9 : (o * ins + i) * 9;
                for (int t = 0; t < 9; t++) {
                    g[t] = w[base + (flipped ? 8 - t : t)];
                }
                for (int col = 0; col < 3; col++) {                    // G g: the rows of G applied down each column
                    double g0 = g[col], g1 = g[3 + col], g2 = g[6 + col];
                    gg[col] = g0;
                    gg[3 + col] = 0.5 * (g0 + g1 + g2);
                    gg[6 + col] = 0.5 * (g0 - g1 + g2);
                    gg[9 + col] = g2;
                }
                for (int row = 0; row < 4; row++) {                    // (G g) Gᵀ: the same along each row
                    double g0 = gg[3 * row], g1 = gg[3 * row + 1], g2 = gg[3 * row + 2];
                    int at = 4 * row * plane + o * ins + i;
                    u[at] = (float) g0;
                    u[at + plane] = (float) (0.5 * (g0 + g1 + g2));
                    u[at + 2 * plane] = (float) (0.5 * (g0 - g1 + g2));
                    u[at + 3 * plane] = (float) g2;
                }
            }
        }
    }

    /**
     * Work rows of one channel plane for {@link #input}: the plane zero-padded to the tiles' reach
     * and split into its even and odd columns, so that the four columns of tile {@code tw}
     * ({@code 2tw .. 2tw+3} of the padded plane) are lanes {@code tw} of even, odd, even shifted
     * by one and odd shifted by one: four plain vector loads.
     */
    static final class Planes {
        float[] even = new float[0];
        float[] odd = new float[0];
        /** One padded row, before {@link #splitRow} splits it. */
        float[] line = new float[0];
        int rowLength;

        void ensure(int rows, int tilesW) {
            rowLength = vectorCeil(tilesW) + L;
            int size = rows * rowLength;
            if (even.length < size) {
                even = new float[size];
                odd = new float[size];
            }
            if (line.length < 2 * tilesW + 2) {
                line = new float[2 * tilesW + 2];
            }
        }
    }

    /**
     * {@code V[ξ][·][vOff + (th − thFrom)·tilesW + tw] = (Bᵀ d B)[ξ]} for the tiles in tile rows
     * {@code [thFrom, thTo)} of one channel plane {@code x[xOff ..]} ({@code h × w}, padded by
     * {@code pad} on every side).
     */
    static void input(float[] x, int xOff, int h, int w, int pad, int thFrom, int thTo, int tilesW, Planes p,
                      float[] v, int vOff, int pointStride) {
        int rows = 2 * (thTo - thFrom) + 2;
        p.ensure(rows, tilesW);
        int len = p.rowLength;
        float[] even = p.even, odd = p.odd;
        for (int r = 0; r < rows; r++) {
            // Lanes 0 .. tilesW are read by real tiles; the rest only by the lanes past the last
            // tile, whose results are overwritten (see "Layouts"), so they may hold anything.
            splitRow(x, xOff, h, w, 2 * thFrom + r - pad, pad, p.line, even, odd, r * len, tilesW + 1);
        }
        for (int th = 0; th < thTo - thFrom; th++) {
            int r0 = 2 * th * len;
            int out = vOff + th * tilesW;
            for (int tw = 0; tw < tilesW; tw += L) {
                // Row i of Bᵀ d is row a + sign · row b: (row0 − row2, row1 + row2, row2 − row1, row1 − row3).
                for (int i = 0; i < 4; i++) {
                    inputRow(even, odd, r0 + ROW_A[i] * len + tw, r0 + ROW_B[i] * len + tw, ROW_SIGN[i], v,
                            out + tw + 4 * i * pointStride, pointStride);
                }
            }
        }
    }

    /** Row i of Bᵀ d = row {@code ROW_A[i]} + {@code ROW_SIGN[i]} · row {@code ROW_B[i]} of the tile. */
    private static final int[] ROW_A = {0, 1, 2, 1};
    private static final int[] ROW_B = {2, 2, 1, 3};
    private static final float[] ROW_SIGN = {-1f, 1f, -1f, -1f};

    /**
     * Points 4i .. 4i+3 of the tiles: row i of Bᵀ d, {@code row a + sign · row b}, times B. The
     * tile's columns d0 .. d3 are lanes tw of even, odd, even + 1 and odd + 1, and a row
     * (d0, d1, d2, d3) times B is (d0 − d2, d1 + d2, d2 − d1, d1 − d3). {@code b · sign + a} is one
     * fused multiply-add whose product is exact, so it rounds as {@code a ± b} does.
     *
     * <p>Why one call site in a loop, not the four rows written out: C2 has a budget of code it
     * inlines into one compilation, and the Vector API's operations are each several small methods
     * deep. With 64 operations in one method (or four inlined helpers of 16), the budget ran out in
     * the training step, though not in a microbenchmark, whenever the transform was inlined into
     * its caller; the operations past it were not intrinsified and every vector was boxed: up to
     * 450 MB of garbage per cnn step and a slower step. With one call site, one row's 21
     * operations are inlined once. Likewise no vector is passed between methods: a callee that is
     * not inlined receives its vectors boxed.
     */
    private static void inputRow(float[] even, float[] odd, int a, int b, float sign, float[] v, int at, int pointStride) {
        FloatVector s = FloatVector.broadcast(S, sign);
        FloatVector d0 = FloatVector.fromArray(S, even, b).fma(s, FloatVector.fromArray(S, even, a));
        FloatVector d1 = FloatVector.fromArray(S, odd, b).fma(s, FloatVector.fromArray(S, odd, a));
        FloatVector d2 = FloatVector.fromArray(S, even, b + 1).fma(s, FloatVector.fromArray(S, even, a + 1));
        FloatVector d3 = FloatVector.fromArray(S, odd, b + 1).fma(s, FloatVector.fromArray(S, odd, a + 1));
        d0.sub(d2).intoArray(v, at);
        d1.add(d2).intoArray(v, at + pointStride);
        d2.sub(d1).intoArray(v, at + 2 * pointStride);
        d1.sub(d3).intoArray(v, at + 3 * pointStride);
    }

    /**
     * Padded row {@code srcRow} of the plane (zeros outside it) into {@code even[at ..]} (columns
     * {@code 0, 2, 4, ...} of the padded row) and {@code odd[at ..]} (columns {@code 1, 3, ...}),
     * {@code len} of each. The row is first copied into {@code line} behind {@code pad} zeros, so
     * that the split is one loop without bounds tests: 22% faster than testing each column's
     * bounds (28-wide rows, 0.56 against 0.71 ns per value).
     */
    private static void splitRow(float[] x, int xOff, int h, int w, int srcRow, int pad, float[] line, float[] even,
                                 float[] odd, int at, int len) {
        if (srcRow < 0 || srcRow >= h) {
            java.util.Arrays.fill(even, at, at + len, 0f);
            java.util.Arrays.fill(odd, at, at + len, 0f);
            return;
        }
        int copied = Math.min(w, 2 * len - pad);
        java.util.Arrays.fill(line, 0, pad, 0f);                       // another layer may have left values there
        System.arraycopy(x, xOff + srcRow * w, line, pad, copied);
        java.util.Arrays.fill(line, pad + copied, 2 * len, 0f);
        for (int k = 0; k < len; k++) {
            even[at + k] = line[2 * k];
            odd[at + k] = line[2 * k + 1];
        }
    }

    /**
     * {@code y[yOff ..]} ({@code oh × ow}, one output channel plane) {@code = Aᵀ M A + bias} in tile
     * rows {@code [thFrom, thTo)}, whose products start at {@code m[mOff ..]}; tiles that reach past
     * the plane (odd {@code oh} or {@code ow}) write only their part inside it. {@code rows} is
     * work space.
     */
    static void output(float[] m, int mOff, int pointStride, int thFrom, int thTo, int tilesW, float bias,
                       float[] y, int yOff, int oh, int ow, float[] rows) {
        int len = vectorCeil(tilesW);
        FloatVector b = FloatVector.broadcast(S, bias);
        for (int th = thFrom; th < thTo; th++) {
            int in = mOff + (th - thFrom) * tilesW;
            for (int tw = 0; tw < tilesW; tw += L) {
                // Aᵀ M: rows (m0 + m1 + m2) and (m1 − m2 − m3) of each column j of the tile's 4x4 products.
                int at = in + tw;
                FloatVector m00 = FloatVector.fromArray(S, m, at), m01 = FloatVector.fromArray(S, m, at + pointStride);
                FloatVector m02 = FloatVector.fromArray(S, m, at + 2 * pointStride), m03 = FloatVector.fromArray(S, m, at + 3 * pointStride);
                FloatVector m10 = FloatVector.fromArray(S, m, at + 4 * pointStride), m11 = FloatVector.fromArray(S, m, at + 5 * pointStride);
                FloatVector m12 = FloatVector.fromArray(S, m, at + 6 * pointStride), m13 = FloatVector.fromArray(S, m, at + 7 * pointStride);
                FloatVector m20 = FloatVector.fromArray(S, m, at + 8 * pointStride), m21 = FloatVector.fromArray(S, m, at + 9 * pointStride);
                FloatVector m22 = FloatVector.fromArray(S, m, at + 10 * pointStride), m23 = FloatVector.fromArray(S, m, at + 11 * pointStride);
                FloatVector m30 = FloatVector.fromArray(S, m, at + 12 * pointStride), m31 = FloatVector.fromArray(S, m, at + 13 * pointStride);
                FloatVector m32 = FloatVector.fromArray(S, m, at + 14 * pointStride), m33 = FloatVector.fromArray(S, m, at + 15 * pointStride);
                FloatVector a0 = m00.add(m10).add(m20), a1 = m01.add(m11).add(m21);
                FloatVector a2 = m02.add(m12).add(m22), a3 = m03.add(m13).add(m23);
                FloatVector c0 = m10.sub(m20).sub(m30), c1 = m11.sub(m21).sub(m31);
                FloatVector c2 = m12.sub(m22).sub(m32), c3 = m13.sub(m23).sub(m33);
                // (Aᵀ M) A: the same along each row; then the bias.
                a0.add(a1).add(a2).add(b).intoArray(rows, tw);
                a1.sub(a2).sub(a3).add(b).intoArray(rows, len + tw);
                c0.add(c1).add(c2).add(b).intoArray(rows, 2 * len + tw);
                c1.sub(c2).sub(c3).add(b).intoArray(rows, 3 * len + tw);
            }
            int top = yOff + 2 * th * ow;
            interleave(rows, 0, len, y, top, ow, tilesW);
            if (2 * th + 1 < oh) {
                interleave(rows, 2 * len, 3 * len, y, top + ow, ow, tilesW);
            }
        }
    }

    /**
     * The gradient of the products from the gradient of the outputs, {@code ∂L/∂M = A dY Aᵀ} (the
     * transpose of {@link #output}), for the tiles in tile rows {@code [thFrom, thTo)} of one output
     * channel plane {@code dy[yOff ..]} ({@code oh × ow}); the outputs of a tile that lie past the
     * plane were never made, and count as zero. Written as {@code M[ξ][·][mOff + (th − thFrom)·tilesW + tw]}.
     */
    static void outputGradient(float[] dy, int yOff, int oh, int ow, int thFrom, int thTo, int tilesW, Planes p,
                               float[] m, int mOff, int pointStride) {
        int rows = 2 * (thTo - thFrom);
        p.ensure(rows, tilesW);
        int len = p.rowLength;
        float[] even = p.even, odd = p.odd;
        for (int r = 0; r < rows; r++) {
            splitRow(dy, yOff, oh, ow, 2 * thFrom + r, 0, p.line, even, odd, r * len, tilesW);
        }
        for (int th = 0; th < thTo - thFrom; th++) {
            int r0 = 2 * th * len, r1 = r0 + len;
            int out = mOff + th * tilesW;
            for (int tw = 0; tw < tilesW; tw += L) {
                // A dY: each row (y0, y1) of the tile's 2x2 gradient becomes (y0, y0 + y1, y0 − y1, −y1).
                FloatVector a0 = FloatVector.fromArray(S, even, r0 + tw), a1 = FloatVector.fromArray(S, odd, r0 + tw);
                FloatVector b0 = FloatVector.fromArray(S, even, r1 + tw), b1 = FloatVector.fromArray(S, odd, r1 + tw);
                FloatVector a2 = a0.add(a1), a3 = a0.sub(a1), a4 = a1.neg();
                FloatVector b2 = b0.add(b1), b3 = b0.sub(b1), b4 = b1.neg();
                // (A dY) Aᵀ: the same down each column j = 0 .. 3.
                int at = out + tw;
                // Column j (top, bottom) of A dY becomes (top, top + bottom, top − bottom, −bottom),
                // points j, 4 + j, 8 + j, 12 + j. Written out in one method of about 40 operations, too
                // large for C2 to inline into its caller (see inputRow on why that matters).
                a0.intoArray(m, at);
                a0.add(b0).intoArray(m, at + 4 * pointStride);
                a0.sub(b0).intoArray(m, at + 8 * pointStride);
                b0.neg().intoArray(m, at + 12 * pointStride);
                a2.intoArray(m, at + pointStride);
                a2.add(b2).intoArray(m, at + 5 * pointStride);
                a2.sub(b2).intoArray(m, at + 9 * pointStride);
                b2.neg().intoArray(m, at + 13 * pointStride);
                a3.intoArray(m, at + 2 * pointStride);
                a3.add(b3).intoArray(m, at + 6 * pointStride);
                a3.sub(b3).intoArray(m, at + 10 * pointStride);
                b3.neg().intoArray(m, at + 14 * pointStride);
                a4.intoArray(m, at + 3 * pointStride);
                a4.add(b4).intoArray(m, at + 7 * pointStride);
                a4.sub(b4).intoArray(m, at + 11 * pointStride);
                b4.neg().intoArray(m, at + 15 * pointStride);
            }
        }
    }

    /**
     * {@code dw (+)= Gᵀ dU G} for every filter, the 3x3 gradient of a filter from the 4x4 gradient
     * of its transform, {@code du[ξ·outs·ins + o·ins + i]} (laid out as {@link #filters} writes
     * U); dw is {@code [outs, ins, 3, 3]}. In double, rounded once. Output channels
     * {@code [oFrom, oTo)} only.
     */
    static void filterGradient(float[] du, int outs, int ins, float[] dw, boolean accumulate, int oFrom, int oTo) {
        int plane = outs * ins;
        double[] half = new double[12];
        for (int o = oFrom; o < oTo; o++) {
            for (int i = 0; i < ins; i++) {
                int at = o * ins + i;
                for (int row = 0; row < 4; row++) {                    // dU G: along each row
                    double u0 = du[4 * row * plane + at], u1 = du[(4 * row + 1) * plane + at];
                    double u2 = du[(4 * row + 2) * plane + at], u3 = du[(4 * row + 3) * plane + at];
                    half[3 * row] = u0 + 0.5 * (u1 + u2);
                    half[3 * row + 1] = 0.5 * (u1 - u2);
                    half[3 * row + 2] = 0.5 * (u1 + u2) + u3;
                }
                int base = at * 9;
                for (int col = 0; col < 3; col++) {                    // Gᵀ (dU G): down each column
                    double u0 = half[col], u1 = half[3 + col], u2 = half[6 + col], u3 = half[9 + col];
                    put(dw, base + col, u0 + 0.5 * (u1 + u2), accumulate);
                    put(dw, base + 3 + col, 0.5 * (u1 - u2), accumulate);
                    put(dw, base + 6 + col, 0.5 * (u1 + u2) + u3, accumulate);
                }
            }
        }
    }

    private static void put(float[] dw, int at, double value, boolean accumulate) {
        dw[at] = (float) (accumulate ? dw[at] + value : value);
    }

    /** {@code y[at + 2t] = left[t]}, {@code y[at + 2t + 1] = right[t]}, up to column {@code ow}. */
    private static void interleave(float[] rows, int left, int right, float[] y, int at, int ow, int tilesW) {
        int pairs = ow / 2;
        for (int t = 0; t < pairs; t++) {
            y[at + 2 * t] = rows[left + t];
            y[at + 2 * t + 1] = rows[right + t];
        }
        if (pairs < tilesW) {
            y[at + 2 * pairs] = rows[left + pairs];
        }
    }
}

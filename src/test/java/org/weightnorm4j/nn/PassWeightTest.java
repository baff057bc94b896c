package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Parallel;
import org.weightnorm4j.tensor.Tensor;
import org.weightnorm4j.testing.RestoreThreads;

/**
 * The recurrent weight packed once per pass ({@link PassWeight}): after the weights change between
 * passes (an optimizer step), the next pass must use the new weights — bit for bit what a layer
 * that never saw the old ones computes — in {@link Lstm} and {@link LstmCell}, plain and
 * weight-normed; the products are {@link RowGemm}'s in float32 and float64; a released weight is
 * refused.
 */
@ExtendWith(RestoreThreads.class)
class PassWeightTest {

    private static Tensor random(SplittableRandom r, DType dtype, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextDouble(-1, 1));
        }
        return t;
    }

    /** The optimizer's step, the same on both layers: every parameter moved. */
    private static void perturb(Layer layer) {
        int seed = 0;
        for (Param p : layer.params()) {
            Tensor v = p.value();
            for (int i = 0; i < v.size(); i++) {
                v.set(i, v.get(i) + 0.05 * Math.sin(++seed));
            }
        }
    }

    private static List<float[]> snapshot(Layer layer, Tensor... outputs) {
        List<float[]> out = new ArrayList<>();
        for (Tensor t : outputs) {
            out.add(t.data().clone());
        }
        for (Param p : layer.params()) {
            out.add(p.grad().data().clone());
        }
        return out;
    }

    private static void assertSameBits(List<float[]> expected, List<float[]> got, String what) {
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), got.get(i), what + ", array " + i);
        }
    }

    private static Lstm lstm(boolean wn) {
        Lstm l = new Lstm(9, 33, new SplittableRandom(4));
        return wn ? WeightNorm.apply(WeightNorm.apply(l, Lstm.WEIGHT_IH, 0), Lstm.WEIGHT_HH, 0) : l;
    }

    private static List<float[]> lstmPass(Lstm l, SplittableRandom r) {
        Tensor x = random(r, DType.FLOAT32, 5, 70, 9), dy = random(r, DType.FLOAT32, 5, 70, 33);
        l.params().forEach(Param::zeroGrad);
        Tensor y = l.forward(x, Mode.TRAIN).copy();
        Tensor dx = l.backward(dy);
        return snapshot(l, y, dx);
    }

    @ParameterizedTest(name = "wn={0} threads={1}")
    @CsvSource({"false,1", "true,1", "false,2", "true,2"})
    void anLstmPassAfterAWeightChangeUsesTheNewWeights(boolean wn, int threads) {
        Parallel.setThreads(threads);
        Lstm trained = lstm(wn), fresh = lstm(wn);
        lstmPass(trained, new SplittableRandom(1));                                // packs the old weights
        perturb(trained);
        perturb(fresh);
        assertSameBits(lstmPass(fresh, new SplittableRandom(2)), lstmPass(trained, new SplittableRandom(2)),
                "LSTM wn=" + wn);
    }

    private static LstmCell cell(boolean wn) {
        LstmCell c = new LstmCell(6, 21, DType.FLOAT32, new SplittableRandom(8));
        return wn ? WeightNorm.apply(WeightNorm.apply(c, LstmCell.WEIGHT_IH, 0), LstmCell.WEIGHT_HH, 0) : c;
    }

    private static List<float[]> cellPass(LstmCell c, SplittableRandom r) {
        int steps = 4, batch = 60;
        c.params().forEach(Param::zeroGrad);
        c.begin(steps, batch, Tensor.zeros(1));
        List<Tensor> outs = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            outs.add(c.step(t, random(r, DType.FLOAT32, batch, 6)).copy());
        }
        for (int t = steps - 1; t >= 0; t--) {
            outs.add(c.backwardStep(t, random(r, DType.FLOAT32, batch, 21)).copy());
        }
        c.finishBackward();
        return snapshot(c, outs.toArray(new Tensor[0]));
    }

    @ParameterizedTest(name = "wn={0} threads={1}")
    @CsvSource({"false,1", "true,1", "false,2", "true,2"})
    void aCellPassAfterAWeightChangeUsesTheNewWeights(boolean wn, int threads) {
        Parallel.setThreads(threads);
        LstmCell trained = cell(wn), fresh = cell(wn);
        cellPass(trained, new SplittableRandom(1));
        perturb(trained);
        perturb(fresh);
        assertSameBits(cellPass(fresh, new SplittableRandom(2)), cellPass(trained, new SplittableRandom(2)),
                "LSTMCell wn=" + wn);
    }

    /** Both operand layouts, both dtypes: the products of {@link RowGemm#gemm} on row ranges. */
    @Test
    void multipliesAsRowGemmDoesAndRefusesAReleasedWeight() {
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (boolean transB : new boolean[] {false, true}) {
                SplittableRandom r = new SplittableRandom(transB ? 3 : 4);
                int m = 7, n = 17, k = 33, ldb = transB ? k : n;
                Tensor w = random(r, dtype, transB ? n : k, ldb);
                Tensor a = random(r, dtype, 3 * m, k);
                Tensor expected = random(r, dtype, m, n), got = expected.copy();
                RowGemm.gemm(false, transB, m, n, k, a, m * k, k, w, 0, ldb, expected, 0, n, true);
                PassWeight pw = new PassWeight("test weight");
                pw.pack(w, transB, k, n, ldb);
                pw.multiply(m, a, m * k, k, got, 0, n, true);
                for (int i = 0; i < expected.size(); i++) {
                    assertTrue(expected.get(i) == got.get(i), dtype + " transB=" + transB + " element " + i);
                }
                pw.release();
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> pw.multiply(m, a, 0, k, got, 0, n, false));
                assertTrue(e.getMessage().contains("test weight"), e.getMessage());
            }
        }
    }
}

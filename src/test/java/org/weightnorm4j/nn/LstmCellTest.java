package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * The LSTM cell run step by step from outside: backpropagation through time against float64 finite
 * differences, plain and weight-normed, with the cell's own output fed back into its next input (the
 * way DRAW drives its cells); the same numbers as {@link Lstm} on the same parameters; PyTorch's
 * {@code LSTMCell} names.
 */
class LstmCellTest {

    /**
     * A test harness: runs the cell over {@code x [T, N, H]} with input {@code x_t + ½ h_{t−1}}
     * (feedback from outside the cell when {@code feedback}), output every {@code h_t}.
     */
    private static final class Unrolled implements Layer {
        final LstmCell cell;
        final boolean feedback;
        Tensor out;
        Tensor dx;
        int steps;
        int batch;
        int in;

        Unrolled(LstmCell cell, boolean feedback) {
            this.cell = cell;
            this.feedback = feedback;
        }

        @Override
        public Tensor forward(Tensor x, Mode mode) {
            steps = x.dim(0);
            batch = x.dim(1);
            in = x.dim(2);
            int hidden = cell.hiddenSize();
            out = x.zerosLike(steps, batch, hidden);
            cell.begin(steps, batch, x);
            Tensor prev = null;
            for (int t = 0; t < steps; t++) {
                Tensor xt = x.zerosLike(batch, in);
                for (int i = 0; i < batch * in; i++) {
                    xt.set(i, x.get(t * batch * in + i) + (feedback && prev != null ? 0.5 * prev.get(i) : 0));
                }
                prev = cell.step(t, xt);
                for (int i = 0; i < batch * hidden; i++) {
                    out.set(t * batch * hidden + i, prev.get(i));
                }
            }
            return out;
        }

        @Override
        public Tensor backward(Tensor dy) {
            int hidden = cell.hiddenSize();
            dx = dy.zerosLike(steps, batch, in);
            Tensor dNextInput = null;
            for (int t = steps - 1; t >= 0; t--) {
                Tensor dh = dy.zerosLike(batch, hidden);
                for (int i = 0; i < batch * hidden; i++) {
                    dh.set(i, dy.get(t * batch * hidden + i) + (feedback && dNextInput != null ? 0.5 * dNextInput.get(i) : 0));
                }
                Tensor dxt = cell.backwardStep(t, dh);
                for (int i = 0; i < batch * in; i++) {
                    dx.set(t * batch * in + i, dxt.get(i));
                }
                dNextInput = dxt.copy();
            }
            cell.finishBackward();
            return dx;
        }

        @Override
        public List<Param> params() {
            return cell.params();
        }

        @Override
        public String describe() {
            return "unrolled " + cell.describe();
        }
    }

    @ParameterizedTest(name = "T={0}, feedback={1}, wn={2}")
    @CsvSource({"1, false, false", "4, false, false", "4, true, false", "4, true, true", "2, false, true"})
    void backpropagationThroughTimeMatchesFiniteDifferences(int steps, boolean feedback, boolean wn) {
        SplittableRandom rnd = new SplittableRandom(17L * steps + (feedback ? 1 : 0) + (wn ? 2 : 0));
        LstmCell cell = new LstmCell(3, 3, DType.FLOAT64, rnd);
        if (wn) {
            cell = WeightNorm.apply(cell, LstmCell.WEIGHT_IH, 0);
            cell = WeightNorm.apply(cell, LstmCell.WEIGHT_HH, 0);
        }
        Tensor x = Tensor.zeros(DType.FLOAT64, steps, 2, 3);
        Initializers.uniform(x, -1.5, 1.5, rnd);
        GradientCheck.Report report = GradientCheck.assertLayer(new Unrolled(cell, feedback), x, Mode.TRAIN);
        assertEquals(4 + (wn ? 2 : 0) + 1, report.tensors().size(), "input and every parameter checked: " + report);
        assertTrue(report.maxRelError() <= GradientCheck.DEFAULT_TOLERANCE, report.toString());
    }

    @Test
    void singleStepLayerInterfaceMatchesFiniteDifferences() {
        SplittableRandom rnd = new SplittableRandom(5);
        LstmCell cell = WeightNorm.apply(new LstmCell(4, 2, DType.FLOAT64, rnd), LstmCell.WEIGHT_HH, 0);
        Tensor x = Tensor.zeros(DType.FLOAT64, 3, 4);
        Initializers.uniform(x, -1, 1, rnd);
        GradientCheck.Report report = GradientCheck.assertLayer(cell, x, Mode.TRAIN);
        assertTrue(report.maxRelError() <= GradientCheck.DEFAULT_TOLERANCE, report.toString());
    }

    /** Unrolled without feedback, the cell is {@link Lstm} on the same parameters: outputs and gradients agree. */
    @ParameterizedTest(name = "dtype={0}")
    @CsvSource({"FLOAT64", "FLOAT32"})
    void agreesWithTheSequenceLayer(DType dtype) {
        SplittableRandom rnd = new SplittableRandom(11);
        int steps = 5, batch = 7, in = 17, hidden = 9;
        Lstm lstm = new Lstm(in, hidden, dtype, rnd);
        LstmCell cell = new LstmCell(new PlainWeights(LstmCell.WEIGHT_IH, lstm.params().get(0).value().copy(), null),
                new PlainWeights(LstmCell.WEIGHT_HH, lstm.params().get(1).value().copy(), null),
                lstm.biasIh().value().copy(), lstm.biasHh().value().copy());
        Tensor x = Tensor.zeros(dtype, steps, batch, in);
        Initializers.uniform(x, -1, 1, rnd);
        Tensor dy = x.zerosLike(steps, batch, hidden);
        Initializers.uniform(dy, -1, 1, rnd);
        Tensor ySeq = lstm.forward(x, Mode.TRAIN).copy();
        Tensor dxSeq = lstm.backward(dy).copy();
        Unrolled unrolled = new Unrolled(cell, false);
        Tensor yCell = unrolled.forward(x, Mode.TRAIN);
        Tensor dxCell = unrolled.backward(dy);
        double tol = dtype == DType.FLOAT64 ? 1e-12 : 2e-5;
        assertClose(ySeq, yCell, tol, "outputs");
        assertClose(dxSeq, dxCell, tol, "input gradients");
        List<Param> a = lstm.params(), b = cell.params();
        for (int i = 0; i < a.size(); i++) {
            assertClose(a.get(i).grad(), b.get(i).grad(), tol * 10, a.get(i).name() + " vs " + b.get(i).name());
        }
    }

    @Test
    void namesFollowPyTorchsLstmCell() {
        SplittableRandom rnd = new SplittableRandom(3);
        LstmCell cell = new LstmCell(5, 4, DType.FLOAT32, rnd);
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), cell.params().stream().map(Param::name).toList());
        LstmCell wn = WeightNorm.apply(WeightNorm.apply(cell, LstmCell.WEIGHT_IH, 0), LstmCell.WEIGHT_HH, 0);
        assertEquals(List.of("bias_ih", "bias_hh", "weight_ih_g", "weight_ih_v", "weight_hh_g", "weight_hh_v"),
                wn.params().stream().map(Param::name).toList());
        assertArrayEquals(new int[] {16, 1}, wn.params().get(4).value().shape(), "one g per gate row");
    }

    @Test
    void stepsOutOfOrderAreErrors() {
        LstmCell cell = new LstmCell(2, 2, DType.FLOAT32, new SplittableRandom(1));
        Tensor x = Tensor.zeros(3, 2);
        assertThrows(IllegalStateException.class, () -> cell.backwardStep(0, null));
        cell.begin(2, 3, x);
        assertThrows(IllegalStateException.class, () -> cell.step(1, x));
        cell.step(0, x);
        assertThrows(IllegalStateException.class, () -> cell.backwardStep(1, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cell.step(1, Tensor.zeros(3, 5)));
        assertTrue(e.getMessage().contains("LSTMCell"), e.getMessage());
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.get(i), a = actual.get(i);
            assertTrue(Math.abs(e - a) <= tol * (1 + Math.abs(e)), what + " [" + i + "]: " + e + " vs " + a);
        }
    }
}

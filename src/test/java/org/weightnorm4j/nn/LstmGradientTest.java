package org.weightnorm4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * The LSTM's forward and backpropagation through time against float64 central finite differences
 * ({@link GradientCheck}: the input and every parameter), plain and with weight norm on
 * {@code weight_ih_l0}, on {@code weight_hh_l0}, and on both; over one step (no recurrent
 * product) and over several.
 */
class LstmGradientTest {

    @ParameterizedTest(name = "T={0}, wn ih={1}, wn hh={2}")
    @CsvSource({"1, false, false", "5, false, false", "5, true, false", "5, false, true", "5, true, true", "3, true, true"})
    void backpropagationThroughTimeMatchesFiniteDifferences(int steps, boolean wnIh, boolean wnHh) {
        SplittableRandom rnd = new SplittableRandom(steps * 31L + (wnIh ? 1 : 0) + (wnHh ? 2 : 0));
        Lstm lstm = new Lstm(4, 3, DType.FLOAT64, rnd);
        if (wnIh) {
            lstm = WeightNorm.apply(lstm, Lstm.WEIGHT_IH, 0);
        }
        if (wnHh) {
            lstm = WeightNorm.apply(lstm, Lstm.WEIGHT_HH, 0);
        }
        Tensor x = Tensor.zeros(DType.FLOAT64, steps, 2, 4);
        Initializers.uniform(x, -1.5, 1.5, rnd);
        GradientCheck.Report report = GradientCheck.assertLayer(lstm, x, Mode.TRAIN);
        // every parameter was checked: 4 plain, or 2 biases + g and v for each normed weight
        int expected = 4 + (wnIh ? 1 : 0) + (wnHh ? 1 : 0);
        assertEquals(expected + 1, report.tensors().size(), "input and parameters checked: " + report);
        assertTrue(report.maxRelError() <= GradientCheck.DEFAULT_TOLERANCE, report.toString());
    }
}

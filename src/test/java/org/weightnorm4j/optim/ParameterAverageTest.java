package org.weightnorm4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Tensor;

class ParameterAverageTest {

    @Test
    void averagesWithWarmupThenDecay() {
        Param p = new Param("p", Tensor.wrap(new float[] {0f}, 1));
        ParameterAverage avg = new ParameterAverage(List.of(p), 0.5);
        p.value().set(0, 10);
        avg.update(); // delta = min(0.5, 1/10) = 0.1: a = 0.1*0 + 0.9*10 = 9
        p.value().set(0, 20);
        avg.update(); // delta = min(0.5, 2/11): a = 2/11*9 + 9/11*20
        double expected = 2.0 / 11 * 9 + 9.0 / 11 * 20;
        avg.swapIn();
        assertEquals(expected, p.value().get(0), 1e-5);
        avg.swapOut();
        assertEquals(20, p.value().get(0));
    }

    @Test
    void misuseIsAnError() {
        Param p = new Param("p", Tensor.zeros(2));
        ParameterAverage avg = new ParameterAverage(List.of(p), 0.999);
        assertThrows(IllegalStateException.class, avg::swapOut);
        avg.swapIn();
        assertThrows(IllegalStateException.class, avg::update);
        assertThrows(IllegalArgumentException.class, () -> new ParameterAverage(List.of(p), 0));
    }
}

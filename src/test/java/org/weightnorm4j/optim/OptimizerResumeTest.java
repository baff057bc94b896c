package org.weightnorm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Tensor;

/** Saving an optimizer's state mid-run and loading it into a fresh one continues bit for bit. */
class OptimizerResumeTest {

    private static List<Param> params(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Param> ps = new ArrayList<>();
        for (String name : new String[] {"0.weight_v", "0.weight_g", "0.bias"}) {
            Tensor t = Tensor.zeros(3, 4);
            for (int i = 0; i < t.size(); i++) {
                t.set(i, r.nextGaussian());
            }
            ps.add(new Param(name, t));
        }
        return ps;
    }

    private static void randomGradients(List<Param> ps, SplittableRandom r) {
        for (Param p : ps) {
            for (int i = 0; i < p.grad().size(); i++) {
                p.grad().set(i, r.nextGaussian());
            }
        }
    }

    private static List<Param> copy(List<Param> ps) {
        List<Param> out = new ArrayList<>();
        for (Param p : ps) {
            out.add(new Param(p.name(), p.value().copy()));
        }
        return out;
    }

    private static Function<List<Param>, Optimizer> factory(String kind) {
        return switch (kind) {
            case "adam" -> ps -> new Adam(ps, 0.01);
            case "sgd" -> ps -> new Sgd(ps, 0.05, 0.9, true, 1e-3);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "sgd"})
    void resumedRunIsBitIdentical(String kind) {
        List<Param> straight = params(7);
        Optimizer a = factory(kind).apply(straight);
        SplittableRandom ra = new SplittableRandom(99);
        ParameterAverage emaA = new ParameterAverage(straight, 0.99);
        for (int s = 0; s < 10; s++) {
            randomGradients(straight, ra);
            a.setLearningRate(Schedule.cosine(0.01, 0, 10).at(s));
            if (a instanceof Adam adam && s == 5) {
                adam.setBeta1(0.5);
            }
            a.step();
            emaA.update();
        }

        List<Param> first = params(7);
        Optimizer b = factory(kind).apply(first);
        ParameterAverage emaB = new ParameterAverage(first, 0.99);
        SplittableRandom rb = new SplittableRandom(99);
        for (int s = 0; s < 6; s++) {
            randomGradients(first, rb);
            b.setLearningRate(Schedule.cosine(0.01, 0, 10).at(s));
            if (b instanceof Adam adam && s == 5) {
                adam.setBeta1(0.5);
            }
            b.step();
            emaB.update();
        }
        OptimizerState saved = b.state();
        OptimizerState savedEma = emaB.state();
        List<Param> resumed = copy(first);
        Optimizer c = factory(kind).apply(resumed);
        c.loadState(saved);
        ParameterAverage emaC = new ParameterAverage(resumed, 0.99);
        emaC.loadState(savedEma);
        assertEquals(6, c.stepCount());
        for (int s = 6; s < 10; s++) {
            randomGradients(resumed, rb);
            c.setLearningRate(Schedule.cosine(0.01, 0, 10).at(s));
            c.step();
            emaC.update();
        }
        for (int i = 0; i < straight.size(); i++) {
            assertArrayEquals(straight.get(i).value().data(), resumed.get(i).value().data(), straight.get(i).name());
        }
        emaA.swapIn();
        emaC.swapIn();
        for (int i = 0; i < straight.size(); i++) {
            assertArrayEquals(straight.get(i).value().data(), resumed.get(i).value().data(), "average of " + straight.get(i).name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adam", "sgd"})
    void stateForAnotherModelIsRejectedByName(String kind) {
        Optimizer a = factory(kind).apply(params(1));
        List<Param> other = List.of(new Param("0.weight_v", Tensor.zeros(5, 4)));
        Optimizer b = factory(kind).apply(other);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.loadState(a.state()));
        assertTrue(e.getMessage().contains("0.weight_v") && e.getMessage().contains("[5, 4]")
                && e.getMessage().contains("[3, 4]"), e.getMessage());
    }
}

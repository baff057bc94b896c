package org.weightnorm4j.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.testing.TinyTask;

class NonFiniteGuardTest {

    @Test
    void namesTheStepTheLayerAndTheParameter() {
        Sequential m = TinyTask.model(Parameterization.WN, 1);
        NonFiniteGuard guard = new NonFiniteGuard(m);
        guard.checkGradients(3, 1, null); // all zero: fine
        m.namedParams().get("4.weight_v").grad().set(5, Float.POSITIVE_INFINITY);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> guard.checkGradients(17, 2, Path.of("/runs/x")));
        String msg = e.getMessage();
        assertTrue(msg.contains("step 17") && msg.contains("'4.weight_v'") && msg.contains("layer 4 " + m.layers().get(4).describe())
                && msg.contains("element 5") && msg.contains("/runs/x"), msg);
    }

    @Test
    void aNonFiniteLossIsReportedWithItsStep() {
        NonFiniteGuard guard = new NonFiniteGuard(TinyTask.model(Parameterization.NORMAL, 1));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> guard.checkLoss(Double.NaN, 9, 1, null));
        assertTrue(e.getMessage().contains("step 9") && e.getMessage().contains("NaN")
                && e.getMessage().contains("no checkpoint"), e.getMessage());
    }
}

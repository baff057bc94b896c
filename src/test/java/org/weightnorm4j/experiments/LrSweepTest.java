package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.testing.TinyTask;

class LrSweepTest {

    @Test
    void aDivergingRunIsRecordedAsDivergedAndTheSweepGoesOn(@TempDir Path out) throws Exception {
        LrSweep.Settings s = new LrSweep.Settings(List.of(Parameterization.NORMAL, Parameterization.WN), List.of(1e30, 1e-2),
                new TrainSettings(1, 16, new org.weightnorm4j.optim.OptimizerSpec.Sgd(1e-3, 0, false, 0), 32, 2));
        LrSweepResult r = new LrSweep(TinyTask.workload(96, 32), s, new PrintWriter(new StringWriter()), false).run();
        assertEquals(4, r.points().size());
        LrSweep.Point small = r.of(Parameterization.NORMAL).get(0);
        LrSweep.Point huge = r.of(Parameterization.NORMAL).get(1);
        assertEquals(1e-2, small.lr());
        assertFalse(small.diverged());
        assertTrue(Double.isFinite(small.trainLoss()));
        assertTrue(huge.diverged(), "lr 1e30 must overflow float32");
        assertTrue(huge.divergedAtStep() >= 1);
        assertTrue(Double.isNaN(huge.trainLoss()));
        assertEquals(1e30, r.smallestFailing(Parameterization.NORMAL).getAsDouble());
        assertEquals("diverged at step " + huge.divergedAtStep(), r.status(huge));
        assertEquals("trained", r.status(small));
        String page = Files.readString(LrSweepReport.write(r, List.of("weightnorm", "lr-sweep"), out), StandardCharsets.UTF_8);
        assertTrue(page.contains("diverged at step"), "table marks the diverged run");
        assertTrue(page.contains("normal failed first at learning rate 1.0E30 (it diverged)"), "conclusion");
    }

    @Test
    void rejectsBadGrids() {
        TrainSettings t = new TrainSettings(1, 16, new org.weightnorm4j.optim.OptimizerSpec.Sgd(1e-3, 0, false, 0), 32, 2);
        assertThrows(IllegalArgumentException.class, () -> new LrSweep.Settings(List.of(Parameterization.WN), List.of(-1.0), t));
        assertThrows(IllegalArgumentException.class,
                () -> new LrSweep.Settings(List.of(Parameterization.WN), List.of(1e-2, 1e-2), t));
        assertEquals(3.0, new LrSweep.Settings(List.of(Parameterization.WN), List.of(1e-1, 1e-4), t).decades(), 1e-12);
    }

    @Test
    void aFiniteButExplodedLossCountsAsFailed() {
        TrainSettings t = new TrainSettings(1, 16, new org.weightnorm4j.optim.OptimizerSpec.Sgd(1e-3, 0, false, 0), 32, 2);
        LrSweep.Settings s = new LrSweep.Settings(List.of(Parameterization.NORMAL), List.of(1e-2, 1.0), t);
        LrSweep.Point fine = new LrSweep.Point(Parameterization.NORMAL, 1e-2, false, 0, "", 0.5, 0.8, 0.6, 0.8);
        LrSweep.Point exploded = new LrSweep.Point(Parameterization.NORMAL, 1.0, false, 0, "", 6.7e8, 0.1, 1e9, 0.1);
        LrSweepResult r = new LrSweepResult(TinyTask.workload(32, 8), s, List.of(fine, exploded));
        assertEquals(Math.log(3), r.chanceLoss(), 1e-15);
        assertFalse(r.failed(fine));
        assertTrue(r.failed(exploded));
        assertEquals(1.0, r.smallestFailing(Parameterization.NORMAL).getAsDouble());
        assertEquals(1e-2, r.largestStable(Parameterization.NORMAL).getAsDouble());
        assertTrue(LrSweepReport.conclusions(r).contains("ended with training loss 6.70e+08"), LrSweepReport.conclusions(r));
    }
}

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

class LrSweepTest {

    @Test
    void aDivergingRunIsRecordedAsDivergedAndTheSweepGoesOn(@TempDir Path out) throws Exception {
        LrSweep.Settings s = new LrSweep.Settings(List.of(Parameterization.NORMAL, Parameterization.WN), List.of(1e30, 1e-2),
                new TrainSettings(1, 16, "sgd", 1e-3, 0, 0, 32, 2));
        LrSweepResult r = new LrSweep(TinyWorkload.workload(96, 32), s, new PrintWriter(new StringWriter()), false).run();
        assertEquals(4, r.points().size());
        LrSweep.Point small = r.of(Parameterization.NORMAL).get(0);
        LrSweep.Point huge = r.of(Parameterization.NORMAL).get(1);
        assertEquals(1e-2, small.lr());
        assertFalse(small.diverged());
        assertTrue(Double.isFinite(small.trainLoss()));
        assertTrue(huge.diverged(), "lr 1e30 must overflow float32");
        assertTrue(huge.divergedAtStep() >= 1);
        assertTrue(Double.isNaN(huge.trainLoss()));
        assertEquals(1e30, r.smallestDiverging(Parameterization.NORMAL).getAsDouble());
        String page = Files.readString(LrSweepReport.write(r, List.of("weightnorm", "lr-sweep"), out), StandardCharsets.UTF_8);
        assertTrue(page.contains("diverged at step"), "table marks the diverged run");
        assertTrue(page.contains("normal diverged first at learning rate 1.0E30"), "conclusion");
    }

    @Test
    void rejectsBadGrids() {
        TrainSettings t = new TrainSettings(1, 16, "sgd", 1e-3, 0, 0, 32, 2);
        assertThrows(IllegalArgumentException.class, () -> new LrSweep.Settings(List.of(Parameterization.WN), List.of(-1.0), t));
        assertThrows(IllegalArgumentException.class,
                () -> new LrSweep.Settings(List.of(Parameterization.WN), List.of(1e-2, 1e-2), t));
        assertEquals(3.0, new LrSweep.Settings(List.of(Parameterization.WN), List.of(1e-1, 1e-4), t).decades(), 1e-12);
    }
}

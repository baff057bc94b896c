package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.train.EpochRecord;
import org.weightnorm4j.train.StepRecord;

class EpochHistoryTest {

    @Test
    void segmentsAreTenthsOfAnEpochAndTheLastAbsorbsTheRemainder(@TempDir Path dir) {
        EpochHistory h = new EpochHistory(dir.resolve(EpochHistory.FILE_NAME));
        int spe = 23;                                         // 23 / 10 -> segments of 2 steps, the last of 3
        for (int s = 1; s <= spe; s++) {
            h.onStep(new StepRecord(s, 1, s, spe, 4, s, 0.5, 0.1, false, Map.of()));   // loss of step s = s
        }
        List<EpochHistory.Segment> seg = h.segments();
        assertEquals(11, seg.size());
        assertEquals(new EpochHistory.Segment(2.0 / 23, 2, 1.5), seg.get(0));        // mean of losses 1, 2
        assertEquals(new EpochHistory.Segment(20.0 / 23, 20, 19.5), seg.get(9));
        assertEquals(new EpochHistory.Segment(1.0, 23, 22.0), seg.get(10));           // mean of 21, 22, 23
    }

    @Test
    void roundTripsThroughItsFileIncludingNonFiniteValues(@TempDir Path dir) {
        Path file = dir.resolve(EpochHistory.FILE_NAME);
        EpochHistory h = new EpochHistory(file);
        h.onStep(new StepRecord(1, 1, 1, 1, 4, 0.7, 0.5, 0.1, false, Map.of()));
        h.onEpoch(new EpochRecord(1, 1, 0.7, 0.5, Double.NaN, Double.NaN, 0.1, Map.of(), 2.0, 50.0));
        EpochHistory back = new EpochHistory(file);
        assertEquals(h.points(), back.points());
        assertEquals(h.segments(), back.segments());
        assertEquals(50.0, EpochHistory.imagesPerSecond(back.points()), 0.0);
    }
}

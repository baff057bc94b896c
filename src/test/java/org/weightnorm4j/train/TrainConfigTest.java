package org.weightnorm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.weightnorm4j.optim.Adam;
import org.weightnorm4j.optim.Sgd;

class TrainConfigTest {

    private static TrainConfig paper() {
        return TrainConfig.builder().epochs(200).batchSize(100).optimizer("adam", 0.003).linearDecay(100)
                .beta1(0.9, 0.5, 100).initBatch(500).emaDecay(0.999).seed(42).build();
    }

    @Test
    void jsonRoundTripIsExact() {
        TrainConfig c = paper();
        assertEquals(c, TrainConfig.fromJson(c.toJson()));
    }

    @Test
    void thePapersSchedulesComeOutOfTheConfig() {
        TrainConfig c = paper();
        assertEquals(0.003, c.lrSchedule().at(99.5));
        assertEquals(0.0015, c.lrSchedule().at(150), 1e-15);
        assertEquals(0.0, c.lrSchedule().at(200));
        assertEquals(0.9, c.beta1Schedule().at(99.99));
        assertEquals(0.5, c.beta1Schedule().at(100));
        assertTrue(c.newOptimizer(java.util.Map.of()) instanceof Adam);
        assertTrue(c.toBuilder().sgd(0.1, 0.9, true).build().newOptimizer(java.util.Map.of()) instanceof Sgd);
    }

    @Test
    void badValuesAreRejectedWhereTheyAreSet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.builder().epochs(10).linearDecay(10));
        assertTrue(e.getMessage().contains("[0, 10)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().optimizer("rmsprop", 0.1));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().schedule("exponential"));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().lr(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().emaDecay(1.0));
    }
}

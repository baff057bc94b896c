package org.weightnorm4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.optim.OptimizerSpec;
import org.weightnorm4j.optim.ScheduleSpec;
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
    void badValuesAreRejectedWhenBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.builder().epochs(10).linearDecay(10).build());
        assertTrue(e.getMessage().contains("[0, 10)") && e.getMessage().contains("--decay-start"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().optimizer("rmsprop", 0.1).build());
        assertTrue(e.getMessage().contains("'rmsprop'") && e.getMessage().contains("adam, sgd"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().schedule("exponential").build());
        assertTrue(e.getMessage().contains("'exponential'") && e.getMessage().contains("linear-decay"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().batchSize(0).build());
        assertTrue(e.getMessage().contains("--batch") && e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().lr(Double.NaN).build());
        assertTrue(e.getMessage().contains("--lr") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.builder().emaDecay(1.0).build());
        assertTrue(e.getMessage().contains("--ema") && e.getMessage().contains("1.0"), e.getMessage());
    }

    /** The builder checks in build(), so the order of the setters does not matter (it did: issue 15). */
    @Test
    void setterOrderDoesNotMatter() {
        TrainConfig decayFirst = TrainConfig.builder().linearDecay(50).epochs(100).build();
        TrainConfig epochsFirst = TrainConfig.builder().epochs(100).linearDecay(50).build();
        assertEquals(epochsFirst, decayFirst);
        assertEquals(new ScheduleSpec.LinearDecay(50), decayFirst.schedule());
        // an intermediate state that is invalid on its own (SGD's momentum set before choosing SGD) is fine too
        TrainConfig sgd = TrainConfig.builder().lr(0.2).optimizer("SGD", 0.05).build();
        assertEquals(new OptimizerSpec.Sgd(0.05, 0.9, false, 0), sgd.optimizer());
    }

    @Test
    void typedSpecsBuildAndRoundTrip() {
        OptimizerSpec adam = new OptimizerSpec.Adam(0.003, 0.8, 0.99, 1e-7, 1e-4);
        TrainConfig c = TrainConfig.builder().epochs(10).optimizer(adam).schedule(new ScheduleSpec.Step(3, 0.5)).build();
        assertEquals(adam, c.optimizer());
        assertEquals(c, TrainConfig.fromJson(c.toJson()));
        assertEquals(0.003 * 0.25, c.lrSchedule().at(6.5), 1e-18);
        assertEquals(0.8, c.beta1Schedule().at(0));
        TrainConfig s = c.toBuilder().optimizer(new OptimizerSpec.Sgd(0.1, 0.5, true, 0)).schedule(new ScheduleSpec.Cosine())
                .build();
        assertEquals(s, TrainConfig.fromJson(s.toJson()));
        assertEquals("SGD(lr 0.1, momentum 0.5, Nesterov, weight decay 0.0)", s.optimizer().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScheduleSpec.parse("Linear", 0, 1, 0.1));
        assertTrue(e.getMessage().contains("valid: constant, linear-decay, cosine, step"), e.getMessage());
    }

    /**
     * A trainer.json config of training-state version 1 as the record-based writer wrote it: it
     * still loads, and the typed form writes it back field for field (so checkpoints keep their bytes
     * and the state version stays 1).
     */
    @Test
    void versionOneConfigLoadsAndIsWrittenBackUnchanged() {
        String v1 = "{\"epochs\":200,\"batchSize\":100,\"optimizer\":\"adam\",\"lr\":3.0E-4,\"schedule\":\"linear-decay\","
                + "\"decayStartEpoch\":100.0,\"stepEvery\":1.0,\"stepGamma\":0.1,\"beta1\":0.9,\"beta1Late\":0.5,"
                + "\"beta1SwitchEpoch\":100.0,\"momentum\":0.9,\"nesterov\":false,\"weightDecay\":0.0,\"emaDecay\":0.0,"
                + "\"augmentFlip\":false,\"augmentShift\":0,\"initBatch\":500,\"logEverySteps\":50,"
                + "\"checkpointEveryEpochs\":1,\"checkpointEverySteps\":0,\"evalBatch\":100,\"seed\":1}";
        TrainConfig c = TrainConfig.fromJson(JsonParser.parseString(v1).getAsJsonObject());
        assertEquals(new OptimizerSpec.Adam(3e-4, 0.9, 0.999, 1e-8, 0), c.optimizer());
        assertEquals(new ScheduleSpec.LinearDecay(100), c.schedule());
        assertEquals(v1, c.toJson().toString());
        String sgd = v1.replace("\"adam\"", "\"sgd\"").replace("\"schedule\":\"linear-decay\"", "\"schedule\":\"step\"")
                .replace("\"decayStartEpoch\":100.0", "\"decayStartEpoch\":0.0").replace("\"stepEvery\":1.0", "\"stepEvery\":30.0")
                .replace("\"momentum\":0.9,\"nesterov\":false", "\"momentum\":0.5,\"nesterov\":true");
        TrainConfig s = TrainConfig.fromJson(JsonParser.parseString(sgd).getAsJsonObject());
        assertEquals(new OptimizerSpec.Sgd(3e-4, 0.5, true, 0), s.optimizer());
        assertEquals(new ScheduleSpec.Step(30, 0.1), s.schedule());
        assertEquals(sgd, s.toJson().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.fromJson(JsonParser.parseString(v1.replace("\"lr\":3.0E-4,", "")).getAsJsonObject()));
        assertTrue(e.getMessage().contains("'lr'"), e.getMessage());
    }
}

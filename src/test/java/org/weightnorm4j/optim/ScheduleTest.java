package org.weightnorm4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void constantIsConstant() {
        Schedule s = Schedule.constant(0.003);
        assertEquals(0.003, s.at(0));
        assertEquals(0.003, s.at(1e6));
    }

    @Test
    void stepMultipliesAtEachBoundary() {
        Schedule s = Schedule.step(1.0, 0.1, 30);
        assertEquals(1.0, s.at(0));
        assertEquals(1.0, s.at(29.999));
        assertEquals(0.1, s.at(30), 1e-15);
        assertEquals(0.01, s.at(60), 1e-15);
    }

    @Test
    void cosineGoesFromBaseToMin() {
        Schedule s = Schedule.cosine(1.0, 0.1, 10);
        assertEquals(1.0, s.at(0), 1e-15);
        assertEquals(0.55, s.at(5), 1e-15);
        assertEquals(0.1, s.at(10), 1e-15);
        assertEquals(0.1, s.at(20), 1e-15);
    }

    @Test
    void papersScheduleIsConstantThenLinearToZero() {
        Schedule s = Schedule.linearDecay(0.003, 100, 200);
        assertEquals(0.003, s.at(0));
        assertEquals(0.003, s.at(100));
        assertEquals(0.0015, s.at(150), 1e-15);
        assertEquals(0.003 * 0.01, s.at(199), 1e-15);
        assertEquals(0.0, s.at(200));
        assertEquals(0.0, s.at(250));
        assertThrows(IllegalArgumentException.class, () -> Schedule.linearDecay(1, 200, 100));
    }

    @Test
    void papersBeta1SwitchesAtEpoch100() {
        Schedule s = Schedule.switchAt(0.9, 100, 0.5);
        assertEquals(0.9, s.at(99.99));
        assertEquals(0.5, s.at(100));
    }
}

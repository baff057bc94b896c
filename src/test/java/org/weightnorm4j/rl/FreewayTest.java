package org.weightnorm4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Freeway's rules in hand-built situations (sticky actions off). */
class FreewayTest {
    private static Freeway game() {
        Freeway f = (Freeway) MinAtar.create("freeway", 11, 0.0, true);
        // Park every car far from column 4, waiting long, so only the car a test sets up matters.
        for (int i = 0; i < Freeway.CARS; i++) {
            f.carX[i] = 0;
            f.carSpeed[i] = 5;
            f.carTimer[i] = 5;
        }
        return f;
    }

    @Test
    void resetStartsAtTheBottomWithCarsInColumnZero() {
        Freeway f = (Freeway) MinAtar.create("freeway", 11, 0.0, true);
        assertEquals(9, f.pos);
        assertEquals(3, f.moveTimer);
        assertEquals(2500, f.terminateTimer);
        for (int i = 0; i < Freeway.CARS; i++) {
            assertEquals(0, f.carX[i]);
            int speed = Math.abs(f.carSpeed[i]);
            assertTrue(speed >= 1 && speed <= 5, "speed " + f.carSpeed[i]);
            assertEquals(speed, f.carTimer[i]);
        }
    }

    @Test
    void carInTheChickensCellPushesItBackToTheBottom() {
        Freeway f = game();
        f.pos = 5;
        f.carX[4] = 4; // row 5 is car 4's lane
        f.step(Environment.NOOP);
        assertEquals(9, f.pos);
    }

    @Test
    void carMovingIntoTheChickenPushesItBack() {
        Freeway f = game();
        f.pos = 3;
        f.carX[2] = 3;
        f.carSpeed[2] = 1; // moving right
        f.carTimer[2] = 0; // moves this frame, into column 4
        f.step(Environment.NOOP);
        assertEquals(4, f.carX[2]);
        assertEquals(9, f.pos);
        assertEquals(1, f.carTimer[2]);
    }

    @Test
    void carsWrapAround() {
        Freeway f = game();
        f.carX[0] = 0;
        f.carSpeed[0] = -2;
        f.carTimer[0] = 0;
        f.step(Environment.NOOP);
        assertEquals(9, f.carX[0]);
        assertEquals(2, f.carTimer[0]);
    }

    @Test
    void reachingTheTopGivesOneAndRedrawsCarSpeedsOnly() {
        Freeway f = game();
        f.pos = 1;
        f.moveTimer = 0;
        for (int i = 0; i < Freeway.CARS; i++) {
            f.carX[i] = i == 3 ? 7 : 0;
        }
        assertEquals(1, f.step(Environment.UP));
        assertEquals(9, f.pos);
        assertEquals(7, f.carX[3], "positions are kept");
        boolean changed = false;
        for (int i = 0; i < Freeway.CARS; i++) {
            int speed = Math.abs(f.carSpeed[i]);
            assertTrue(speed >= 1 && speed <= 5);
            changed |= f.carSpeed[i] != 5;
        }
        assertTrue(changed, "eight fresh draws all equal to +5 would be a 1 in 10^11 event");
    }

    @Test
    void chickenMovesAtMostOnceEveryThreeFrames() {
        Freeway f = game();
        f.moveTimer = 0;
        f.step(Environment.UP);
        assertEquals(8, f.pos);
        assertEquals(2, f.moveTimer, "3, then one frame's countdown");
        f.step(Environment.UP);
        f.step(Environment.UP);
        assertEquals(8, f.pos);
        f.step(Environment.UP); // timer at 0 again
        assertEquals(7, f.pos);
        f.moveTimer = 0;
        f.step(Environment.DOWN);
        assertEquals(8, f.pos);
    }

    @Test
    void episodeEndsOnTheStepAfterTwoThousandFiveHundredFrames() {
        Freeway f = (Freeway) MinAtar.create("freeway", 11, 0.0, true);
        for (int t = 1; t <= 2500; t++) {
            f.step(Environment.NOOP);
            assertFalse(f.terminal(), "frame " + t);
        }
        f.step(Environment.NOOP);
        assertTrue(f.terminal());
        assertEquals(2501, f.frames());
        f.reset();
        assertFalse(f.terminal());
        assertEquals(2500, f.terminateTimer);
    }

    @Test
    void observationShowsTheTrailInTheSpeedChannelBehindTheCar() {
        Freeway f = game();
        f.carX[0] = 0;
        f.carSpeed[0] = 3; // right-moving: trail on the left, wrapping to column 9
        f.carX[1] = 5;
        f.carSpeed[1] = -1; // left-moving: trail at column 6
        float[] obs = new float[7 * 100];
        f.observe(obs);
        assertEquals(1f, obs[Freeway.CAR * 100 + 1 * 10 + 0]);
        assertEquals(1f, obs[(Freeway.SPEED1 + 2) * 100 + 1 * 10 + 9]);
        assertEquals(1f, obs[Freeway.SPEED1 * 100 + 2 * 10 + 6]);
        assertEquals(1f, obs[Freeway.CHICKEN * 100 + 9 * 10 + 4]);
    }
}

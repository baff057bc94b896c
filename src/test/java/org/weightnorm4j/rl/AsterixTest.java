package org.weightnorm4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Asterix's rules in hand-built situations (sticky actions off). */
class AsterixTest {
    private static Asterix game(boolean ramping) {
        Asterix a = (Asterix) MinAtar.create("asterix", 5, 0.0, ramping);
        a.spawnTimer = 1000; // no spawn unless a test asks for one
        return a;
    }

    private static void put(Asterix a, int row, int x, boolean right, boolean gold) {
        a.present[row - 1] = true;
        a.entityX[row - 1] = x;
        a.movesRight[row - 1] = right;
        a.gold[row - 1] = gold;
    }

    @Test
    void steppingOntoGoldGivesOneAndRemovesIt() {
        Asterix a = game(true);
        put(a, 5, 6, false, true); // player at (5, 5); gold just right of it
        assertEquals(1, a.step(Environment.RIGHT));
        assertFalse(a.present[4]);
        assertFalse(a.terminal());
    }

    @Test
    void goldMovingOntoThePlayerGivesOne() {
        Asterix a = game(true);
        put(a, 5, 4, true, true);
        a.moveTimer = 0;
        assertEquals(1, a.step(Environment.NOOP));
        assertFalse(a.present[4]);
        assertEquals(Asterix.INIT_MOVE_INTERVAL - 1, a.moveTimer);
    }

    @Test
    void touchingAnEnemyIsTerminal() {
        Asterix a = game(true);
        put(a, 4, 5, false, false);
        assertEquals(0, a.step(Environment.UP));
        assertTrue(a.terminal());
        Asterix b = game(true);
        put(b, 5, 6, false, false);
        b.moveTimer = 0;
        b.step(Environment.NOOP);
        assertTrue(b.terminal());
    }

    @Test
    void playerStaysOnRowsOneToEight() {
        Asterix a = game(true);
        a.playerY = 1;
        a.step(Environment.UP);
        assertEquals(1, a.playerY);
        a.playerY = 8;
        a.step(Environment.DOWN);
        assertEquals(8, a.playerY);
    }

    @Test
    void objectsLeaveAtTheEdge() {
        Asterix a = game(true);
        put(a, 2, 9, true, false);
        a.moveTimer = 0;
        a.step(Environment.NOOP);
        assertFalse(a.present[1]);
    }

    @Test
    void spawnFillsAFreeRowAtAnEdgeAndSkipsWhenAllRowsAreTaken() {
        Asterix a = game(true);
        a.spawnTimer = 0;
        a.step(Environment.NOOP);
        int count = 0;
        for (int i = 0; i < Asterix.SLOTS; i++) {
            if (a.present[i]) {
                count++;
                assertTrue(a.entityX[i] == (a.movesRight[i] ? 0 : 9));
            }
        }
        assertEquals(1, count);
        assertEquals(Asterix.INIT_SPAWN_SPEED - 1, a.spawnTimer, "restarted at the spawn speed, then one frame");

        Asterix full = game(true);
        full.playerX = 0;
        for (int row = 1; row <= 8; row++) {
            put(full, row, 9, false, true);
        }
        full.spawnTimer = 0;
        full.step(Environment.NOOP);
        for (int i = 0; i < Asterix.SLOTS; i++) {
            assertEquals(9, full.entityX[i]);
        }
    }

    @Test
    void rampingScheduleSpeedsUpEveryHundredAndTwoFrames() {
        Asterix a = game(true);
        int[] expectedSpawn = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
        int[] expectedMove = {5, 5, 4, 4, 3, 3, 2, 2, 1, 1};
        for (int t = 1; t <= 12 * 102; t++) {
            java.util.Arrays.fill(a.present, false); // keep the player alive; ramping ignores objects
            a.spawnTimer = 1000;
            a.step(Environment.NOOP);
            int level = Math.min(9, t / 102);
            // The counter runs 100 -> -1 over 101 frames and the ramp fires on the 102nd.
            assertEquals(level, a.rampIndex, "frame " + t);
            assertEquals(expectedSpawn[level], a.spawnSpeed, "frame " + t);
            assertEquals(expectedMove[level], a.moveSpeed, "frame " + t);
        }
        assertEquals(9, a.difficultyRamp());
    }

    @Test
    void withoutRampingNothingSpeedsUp() {
        Asterix a = game(false);
        for (int t = 0; t < 1000; t++) {
            java.util.Arrays.fill(a.present, false);
            a.spawnTimer = 1000;
            a.step(Environment.NOOP);
        }
        assertEquals(0, a.rampIndex);
        assertEquals(10, a.spawnSpeed);
        assertEquals(5, a.moveSpeed);
    }
}

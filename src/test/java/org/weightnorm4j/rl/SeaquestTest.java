package org.weightnorm4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Seaquest's rules (as fixed in MinAtar 1.0.11) in hand-built situations (sticky actions off). */
class SeaquestTest {
    private static Seaquest game(boolean ramping) {
        Seaquest s = (Seaquest) MinAtar.create("seaquest", 3, 0.0, ramping);
        // No spawns unless a test asks for them.
        s.enemySpawnTimer = 100_000;
        s.diverSpawnTimer = 100_000;
        return s;
    }

    /** The sub just below the surface, having dived (so the next up is a surfacing). */
    private static Seaquest belowSurface(int divers, int oxygen) {
        Seaquest s = game(true);
        s.subY = 1;
        s.surface = false;
        s.diverCount = divers;
        s.oxygen = oxygen;
        return s;
    }

    @Test
    void surfacingWithFewerThanSixDiversCostsOneAndRefillsOxygen() {
        Seaquest s = belowSurface(3, 50);
        assertEquals(0, s.step(Environment.UP));
        assertFalse(s.terminal());
        assertEquals(2, s.diverCount);
        assertEquals(Seaquest.MAX_OXYGEN, s.oxygen);
        assertTrue(s.surface);
        // Staying up does not surface again.
        assertEquals(0, s.step(Environment.NOOP));
        assertEquals(2, s.diverCount);
    }

    @Test
    void surfacingWithSixDiversPaysForTheOxygenLeft() {
        Seaquest s = belowSurface(6, 150);
        assertEquals(150 * 10 / 200, s.step(Environment.UP));
        assertFalse(s.terminal());
        assertEquals(Seaquest.MAX_OXYGEN, s.oxygen);
        // MinAtar zeroes the count and then still subtracts the surfacing's diver.
        assertEquals(-1, s.diverCount);
        float[] obs = new float[10 * 100];
        s.observe(obs);
        for (int c = 0; c < 10; c++) {
            assertEquals(0f, obs[Seaquest.DIVER_GAUGE * 100 + 90 + c], "the diver gauge shows none");
        }
    }

    @Test
    void surfacingWithNoDiverIsTerminal() {
        Seaquest s = belowSurface(0, 150);
        assertEquals(0, s.step(Environment.UP));
        assertTrue(s.terminal());
    }

    @Test
    void oxygenFallsUnderWaterAndTheEpisodeEndsWhenItIsAtZero() {
        Seaquest s = game(true);
        s.subY = 4;
        s.oxygen = 2;
        s.step(Environment.NOOP);
        assertEquals(1, s.oxygen);
        s.step(Environment.NOOP);
        assertEquals(0, s.oxygen);
        assertFalse(s.terminal(), "checked before this frame's use (MinAtar 1.0.11)");
        s.step(Environment.NOOP);
        assertTrue(s.terminal());
        float[] obs = new float[10 * 100];
        s.observe(obs);
        for (int c = 0; c < 10; c++) {
            assertEquals(0f, obs[Seaquest.OXYGEN_GAUGE * 100 + 90 + c]);
        }
    }

    @Test
    void oxygenGaugeShowsOneCellPerTwentyAndTheDiverGaugeEndsAtColumnEight() {
        Seaquest s = game(true);
        s.oxygen = 119;
        s.diverCount = 2;
        float[] obs = new float[10 * 100];
        s.observe(obs);
        for (int c = 0; c < 10; c++) {
            assertEquals(c < 5 ? 1f : 0f, obs[Seaquest.OXYGEN_GAUGE * 100 + 90 + c], "oxygen column " + c);
            assertEquals(c == 7 || c == 8 ? 1f : 0f, obs[Seaquest.DIVER_GAUGE * 100 + 90 + c], "diver column " + c);
        }
    }

    @Test
    void surfacingRampsTheEnemiesUp() {
        Seaquest s = game(true);
        int[] spawn = new int[12];
        int[] move = new int[12];
        for (int k = 0; k < 12; k++) {
            s.subY = 1;
            s.surface = false;
            s.diverCount = 2;
            s.step(Environment.UP);
            spawn[k] = s.enemySpawnSpeed;
            move[k] = s.moveSpeed;
            assertEquals(k + 1, s.rampIndex);
        }
        // Spawning one frame sooner per surfacing; moving one frame sooner on odd ramp indices, down to 2.
        assertEquals("[19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8]", java.util.Arrays.toString(spawn));
        assertEquals("[5, 4, 4, 3, 3, 2, 2, 2, 2, 2, 2, 2]", java.util.Arrays.toString(move));
        Seaquest flat = game(false);
        flat.subY = 1;
        flat.surface = false;
        flat.diverCount = 2;
        flat.step(Environment.UP);
        assertEquals(0, flat.rampIndex);
        assertEquals(20, flat.enemySpawnSpeed);
    }

    @Test
    void enemySpawnsAtAnEdgeOnRowsOneToEight() {
        int subs = 0;
        int fromLeft = 0;
        int n = 3000;
        for (int k = 0; k < n; k++) {
            Seaquest s = (Seaquest) MinAtar.create("seaquest", 1000 + k, 0.0, true);
            s.enemySpawnTimer = 0;
            s.diverSpawnTimer = 100_000;
            s.step(Environment.NOOP);
            assertEquals(1, s.fish.size() + s.subs.size());
            EntityList list = s.subs.size() == 1 ? s.subs : s.fish;
            int x = list.get(0, EntityList.X);
            int y = list.get(0, EntityList.Y);
            int right = list.get(0, EntityList.MOVES_RIGHT);
            assertEquals(right == 1 ? 0 : 9, x);
            assertTrue(y >= 1 && y <= 8);
            assertEquals(Seaquest.INIT_MOVE_INTERVAL - 1, list.get(0, EntityList.TIMER));
            assertEquals(Seaquest.INIT_SPAWN_SPEED - 1, s.enemySpawnTimer);
            subs += s.subs.size();
            fromLeft += right;
        }
        // Sub with probability 1/3, from the left with 1/2: within 5 binomial standard deviations.
        assertEquals(n / 3.0, subs, 5 * Math.sqrt(n * (1 / 3.0) * (2 / 3.0)));
        assertEquals(n / 2.0, fromLeft, 5 * Math.sqrt(n * 0.25));
    }

    @Test
    void noEnemySpawnsIntoARowWithTrafficTheOtherWay() {
        Seaquest s = game(true);
        for (int row = 1; row <= 8; row++) {
            s.fish.add(5, row, 1, 1_000_000, 0); // right-moving fish everywhere, never moving
        }
        for (int k = 0; k < 200; k++) {
            s.enemySpawnTimer = 0;
            s.subY = 0;
            s.surface = true;
            s.step(Environment.NOOP);
        }
        for (EntityList list : new EntityList[] {s.fish, s.subs}) {
            for (int i = 0; i < list.size(); i++) {
                assertEquals(1, list.get(i, EntityList.MOVES_RIGHT), "only right-moving enemies could be added");
            }
        }
        assertTrue(s.fish.size() + s.subs.size() > 8, "some spawns going right were added");
    }

    @Test
    void diverSpawnsAndIsPickedUpUntilSixAreAboard() {
        Seaquest s = game(true);
        s.diverSpawnTimer = 0;
        s.step(Environment.NOOP);
        assertEquals(1, s.divers.size());
        assertEquals(Seaquest.DIVER_SPAWN_SPEED - 1, s.diverSpawnTimer);
        int dx = s.divers.get(0, EntityList.X);
        assertEquals(s.divers.get(0, EntityList.MOVES_RIGHT) == 1 ? 0 : 9, dx);

        Seaquest p = game(true);
        p.subX = 3;
        p.subY = 4;
        p.divers.add(3, 4, 1, 5, 0);
        p.step(Environment.NOOP);
        assertEquals(0, p.divers.size());
        assertEquals(1, p.diverCount);

        Seaquest full = game(true);
        full.subX = 3;
        full.subY = 4;
        full.diverCount = 6;
        full.divers.add(3, 4, 1, 5, 0);
        full.step(Environment.NOOP);
        assertEquals(1, full.divers.size(), "a seventh diver is not picked up");
        assertEquals(6, full.diverCount);
    }

    @Test
    void bulletKillsAFishForOne() {
        Seaquest s = game(true);
        s.subX = 3;
        s.subY = 4;
        s.facingRight = true;
        s.fish.add(4, 4, 0, 3, 0);
        assertEquals(1, s.step(Environment.FIRE));
        assertEquals(0, s.fish.size());
        assertEquals(0, s.friendlyBullets.size());
        assertEquals(Seaquest.SHOT_COOL_DOWN - 1, s.shotTimer);
    }

    @Test
    void enemySubFiresAndItsBulletIsFatal() {
        Seaquest s = game(true);
        s.subX = 2;
        s.subY = 6;
        s.subs.add(5, 6, 0, 100, 0); // left-moving, shot timer 0: fires now
        s.step(Environment.NOOP);
        assertEquals(1, s.enemyBullets.size());
        assertEquals(4, s.enemyBullets.get(0, EntityList.X), "fired from the sub's cell, moved this frame");
        assertEquals(Seaquest.ENEMY_SHOT_INTERVAL, s.subs.get(0, EntityList.SHOT_TIMER));
        s.step(Environment.NOOP);
        assertFalse(s.terminal());
        s.step(Environment.NOOP); // 3 -> 2: the player's cell
        assertTrue(s.terminal());
    }

    @Test
    void touchingAFishIsTerminal() {
        Seaquest s = game(true);
        s.subX = 2;
        s.subY = 6;
        s.fish.add(3, 6, 0, 5, 0);
        s.step(Environment.RIGHT);
        assertTrue(s.terminal());
    }
}

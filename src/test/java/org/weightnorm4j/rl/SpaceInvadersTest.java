package org.weightnorm4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Space Invaders' rules in hand-built situations (sticky actions off). */
class SpaceInvadersTest {
    private static SpaceInvaders game(boolean ramping) {
        SpaceInvaders s = (SpaceInvaders) MinAtar.create("space_invaders", 9, 0.0, ramping);
        s.alienShotTimer = 100_000; // no alien fire unless a test asks for it
        return s;
    }

    private static void only(SpaceInvaders s, int row, int column) {
        Arrays.fill(s.aliens, 0);
        s.aliens[row] = 1 << column;
    }

    @Test
    void firstWaveIsFourRowsOfSixAliensMovingLeft() {
        SpaceInvaders s = (SpaceInvaders) MinAtar.create("space_invaders", 9, 0.0, true);
        float[] obs = new float[6 * 100];
        s.observe(obs);
        for (int row = 0; row < 10; row++) {
            for (int column = 0; column < 10; column++) {
                float alien = row < 4 && column >= 2 && column < 8 ? 1f : 0f;
                assertEquals(alien, obs[SpaceInvaders.ALIEN * 100 + row * 10 + column]);
                assertEquals(alien, obs[SpaceInvaders.ALIEN_LEFT * 100 + row * 10 + column]);
                assertEquals(0f, obs[SpaceInvaders.ALIEN_RIGHT * 100 + row * 10 + column]);
            }
        }
        assertEquals(1f, obs[SpaceInvaders.CANNON * 100 + 95]);
    }

    @Test
    void alienInTheCannonsCellIsTerminal() {
        SpaceInvaders s = game(true);
        only(s, 9, 5);
        s.alienMoveTimer = 5;
        s.step(Environment.NOOP);
        assertTrue(s.terminal());
    }

    @Test
    void blockStepsDownAtTheEdgeAndStepsOffTheBottomRowAreTerminal() {
        SpaceInvaders s = game(true);
        only(s, 3, 0);
        s.alienMoveTimer = 0;
        s.step(Environment.NOOP);
        assertEquals(1, s.alienDir, "turned at the left edge");
        assertTrue(SpaceInvaders.cell(s.aliens, 4, 0), "and stepped down");
        assertFalse(s.terminal());

        SpaceInvaders b = game(true);
        only(b, 9, 0);
        b.alienMoveTimer = 0;
        b.step(Environment.NOOP); // cannon at 5: only the step down from row 9 ends it
        assertTrue(b.terminal());
        assertTrue(SpaceInvaders.cell(b.aliens, 0, 0), "numpy's roll wraps the bottom row to the top");
    }

    @Test
    void blockMovesSidewaysAndFasterWhenFewAreLeft() {
        SpaceInvaders s = game(true);
        only(s, 2, 5);
        s.aliens[2] |= 1 << 6;
        s.aliens[3] |= 1 << 6;
        s.alienMoveTimer = 0;
        s.step(Environment.NOOP);
        assertTrue(SpaceInvaders.cell(s.aliens, 2, 4) && SpaceInvaders.cell(s.aliens, 2, 5)
                && SpaceInvaders.cell(s.aliens, 3, 5));
        // The next move comes after min(aliens left, interval) = 3 frames: the timer is 3, minus this frame.
        assertEquals(2, s.alienMoveTimer);
        SpaceInvaders full = game(true);
        full.alienMoveTimer = 0;
        full.step(Environment.NOOP);
        assertEquals(SpaceInvaders.ENEMY_MOVE_INTERVAL - 1, full.alienMoveTimer);
    }

    @Test
    void shootingKillsForOneWithACoolDown() {
        SpaceInvaders s = game(true);
        only(s, 6, 5);
        s.aliens[0] |= 1; // a second alien, so the wave is not cleared
        s.alienMoveTimer = 100;
        assertEquals(0, s.step(Environment.FIRE));
        assertTrue(SpaceInvaders.cell(s.friendlyBullets, 8, 5), "placed on row 9, risen one row");
        assertEquals(0, s.step(Environment.FIRE), "cool-down: no second bullet, and no move either");
        assertEquals(5, s.pos);
        assertEquals(1, Integer.bitCount(s.friendlyBullets[7]) + Integer.bitCount(s.friendlyBullets[8]));
        assertEquals(1, s.step(Environment.NOOP)); // bullet 7 -> 6, where the alien is
        assertFalse(SpaceInvaders.cell(s.aliens, 6, 5));
        assertEquals(0, s.friendlyBullets[6]);
    }

    @Test
    void nearestAlienFiresFromItsLowestCellTiesGoingLeft() {
        SpaceInvaders s = game(true);
        Arrays.fill(s.aliens, 0);
        s.aliens[1] = 1 << 3 | 1 << 7; // columns 3 and 7 are both 2 away from the cannon at 5
        s.aliens[4] = 1 << 3;
        s.alienMoveTimer = 100;
        s.alienShotTimer = 0;
        s.step(Environment.NOOP);
        // Placed at (4, 3), then falls one row on the next frame.
        assertTrue(SpaceInvaders.cell(s.enemyBullets, 4, 3));
        assertEquals(SpaceInvaders.ENEMY_SHOT_INTERVAL - 1, s.alienShotTimer);
        s.step(Environment.NOOP);
        assertTrue(SpaceInvaders.cell(s.enemyBullets, 5, 3));
    }

    @Test
    void enemyBulletOnTheCannonIsTerminal() {
        SpaceInvaders s = game(true);
        s.alienMoveTimer = 100;
        s.enemyBullets[8] = 1 << 5;
        s.step(Environment.NOOP);
        assertTrue(s.terminal());
    }

    @Test
    void clearedWaveComesBackFasterWithRampingDownToSix() {
        SpaceInvaders s = game(true);
        int[] intervals = new int[8];
        for (int wave = 0; wave < 8; wave++) {
            only(s, 8, 5);
            s.alienMoveTimer = 100;
            s.shotTimer = 0;
            s.friendlyBullets[9] = 0;
            s.step(Environment.FIRE); // the bullet rises to row 8 and kills the last alien
            assertEquals(24, Integer.bitCount(s.aliens[0]) + Integer.bitCount(s.aliens[1])
                    + Integer.bitCount(s.aliens[2]) + Integer.bitCount(s.aliens[3]), "a new wave");
            intervals[wave] = s.enemyMoveInterval;
        }
        assertEquals("[11, 10, 9, 8, 7, 6, 6, 6]", Arrays.toString(intervals));
        assertEquals(6, s.difficultyRamp());

        SpaceInvaders flat = game(false);
        only(flat, 8, 5);
        flat.alienMoveTimer = 100;
        flat.step(Environment.FIRE);
        assertEquals(12, flat.enemyMoveInterval);
        assertEquals(0, flat.difficultyRamp());
    }
}

package org.weightnorm4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Breakout's rules in hand-built situations (sticky actions off, so every action is taken). */
class BreakoutTest {
    private static Breakout game() {
        return (Breakout) MinAtar.create("breakout", 7, 0.0, true);
    }

    private static void place(Breakout b, int x, int y, int dir) {
        b.ballX = x;
        b.ballY = y;
        b.ballDir = dir;
    }

    @Test
    void resetPutsBallInACornerOfRowThreeAndThreeRowsOfBricks() {
        Breakout b = game();
        assertEquals(3, b.ballY);
        assertTrue((b.ballX == 0 && b.ballDir == 2) || (b.ballX == 9 && b.ballDir == 3), b.ballX + " " + b.ballDir);
        assertEquals(4, b.paddle);
        for (int i = 0; i < 100; i++) {
            assertEquals(i >= 10 && i < 40, b.bricks[i], "cell " + i);
        }
    }

    @Test
    void brickHitGivesOneBreaksTheBrickAndReflectsTheBall() {
        Breakout b = game();
        place(b, 5, 4, 1); // up-right, into (row 3, column 6)
        assertEquals(1, b.step(Environment.NOOP));
        assertFalse(b.bricks[3 * 10 + 6]);
        // The ball takes the brick's column but stays on its row, now heading down-right.
        assertEquals(6, b.ballX);
        assertEquals(4, b.ballY);
        assertEquals(2, b.ballDir);
        assertTrue(b.strike);
        assertEquals(5, b.lastX);
        assertEquals(4, b.lastY);
    }

    @Test
    void aBrickMetOnTheFrameAfterAHitIsEnteredNotBroken() {
        // MinAtar's strike flag: right after a hit, the next brick in the way is passed into.
        Breakout b = game();
        place(b, 5, 5, 0); // up-left, into (row 4, column 4), where a brick is placed
        b.bricks[4 * 10 + 4] = true;
        b.strike = true;
        assertEquals(0, b.step(Environment.NOOP));
        assertTrue(b.bricks[4 * 10 + 4]);
        assertEquals(4, b.ballX);
        assertEquals(4, b.ballY);
        assertEquals(0, b.ballDir);
        assertTrue(b.strike, "the flag stays set while the ball is in a brick cell");
        place(b, 4, 4, 1); // up-right into (3, 5): a fresh brick, but the flag is still set
        assertEquals(0, b.step(Environment.NOOP));
        assertTrue(b.bricks[3 * 10 + 5]);
        b.ballY = 6;
        b.ballDir = 2;
        b.step(Environment.NOOP); // a frame in open space clears the flag
        assertFalse(b.strike);
    }

    @Test
    void sideAndTopWallsReflect() {
        Breakout b = game();
        place(b, 0, 6, 0); // up-left on the left wall
        b.step(Environment.NOOP);
        assertEquals(0, b.ballX);
        assertEquals(5, b.ballY);
        assertEquals(1, b.ballDir);
        java.util.Arrays.fill(b.bricks, false);
        place(b, 3, 0, 1); // up-right on the top row
        b.step(Environment.NOOP);
        assertEquals(4, b.ballX);
        assertEquals(0, b.ballY);
        assertEquals(2, b.ballDir);
    }

    @Test
    void paddleBelowTheBallBouncesItUpKeepingItsHorizontalDirection() {
        Breakout b = game();
        place(b, 4, 8, 2); // down-right, the paddle in column 4 under the ball
        assertEquals(0, b.step(Environment.NOOP));
        assertFalse(b.terminal());
        assertEquals(5, b.ballX);
        assertEquals(8, b.ballY);
        assertEquals(1, b.ballDir); // up-right
    }

    @Test
    void paddleWhereTheBallLandsSendsItBackTheWayItCame() {
        Breakout b = game();
        place(b, 3, 8, 2); // down-right, lands on column 4 where the paddle is
        b.step(Environment.NOOP);
        assertFalse(b.terminal());
        assertEquals(4, b.ballX);
        assertEquals(8, b.ballY);
        assertEquals(0, b.ballDir); // up-left
    }

    @Test
    void paddleMovesFirstThenCatchesTheBall() {
        Breakout b = game();
        place(b, 6, 8, 2); // lands on column 7; the paddle moves 4 -> 5 only, too far
        b.step(Environment.RIGHT);
        assertTrue(b.terminal());
        b = game();
        b.paddle = 6;
        place(b, 6, 8, 2);
        b.step(Environment.RIGHT); // paddle 6 -> 7, the landing column
        assertFalse(b.terminal());
        assertEquals(0, b.ballDir);
    }

    @Test
    void ballLostIsTerminalAndLaterStepsDoNothing() {
        Breakout b = game();
        b.paddle = 0;
        place(b, 5, 8, 2);
        assertEquals(0, b.step(Environment.NOOP));
        assertTrue(b.terminal());
        assertEquals(9, b.ballY);
        EnvironmentState before = b.saveState();
        assertEquals(0, b.step(Environment.RIGHT));
        assertEquals(before.gameState().length, b.saveState().gameState().length);
        assertEquals(java.util.Arrays.toString(before.gameState()), java.util.Arrays.toString(b.saveState().gameState()));
        assertEquals(1, b.frames());
    }

    @Test
    void clearedWallIsRebuiltWhenTheBallComesDownToThePaddleRow() {
        Breakout b = game();
        java.util.Arrays.fill(b.bricks, false);
        place(b, 2, 7, 2); // not yet at row 9 next frame: row 8
        b.step(Environment.NOOP);
        for (boolean brick : b.bricks) {
            assertFalse(brick);
        }
        b.paddle = 4;
        b.step(Environment.NOOP); // row 8 -> 9: rebuilt, and the paddle at 4 catches the ball
        assertFalse(b.terminal());
        for (int i = 0; i < 100; i++) {
            assertEquals(i >= 10 && i < 40, b.bricks[i], "cell " + i);
        }
    }

    @Test
    void noRamping() {
        assertEquals(-1, game().difficultyRamp());
    }
}

package org.weightnorm4j.rl;

import java.util.List;

/**
 * MinAtar's Breakout. A paddle on the bottom row bounces a ball that moves one cell diagonally per
 * frame into three rows of bricks; +1 per brick broken; the episode ends when the ball reaches the
 * bottom row beside the paddle. When no brick is left, three new rows appear as the ball comes down
 * to the paddle's row. Channels: paddle, ball, trail (the ball's previous cell), brick. No ramping.
 */
final class Breakout extends MinAtarGame {
    static final int PADDLE = 0;
    static final int BALL = 1;
    static final int TRAIL = 2;
    static final int BRICK = 3;

    /** Ball directions: 0 up-left, 1 up-right, 2 down-right, 3 down-left (row 0 at the top). */
    private static final int[] DX = {-1, 1, 1, -1};
    private static final int[] DY = {-1, -1, 1, 1};
    /** Reflection off a side wall swaps left and right. */
    private static final int[] FLIP_X = {1, 0, 3, 2};
    /** Reflection off the top, a brick, or the paddle straight below swaps up and down. */
    private static final int[] FLIP_Y = {3, 2, 1, 0};
    /** Hitting the paddle with its corner (the paddle in the cell the ball moves to) reverses both. */
    private static final int[] FLIP_BOTH = {2, 3, 0, 1};

    int ballX;
    int ballY;
    int ballDir;
    int paddle;
    int lastX;
    int lastY;
    /** Set by a brick hit; a brick met on the very next frame is passed into, not broken (MinAtar's strike flag). */
    boolean strike;
    /** bricks[row*10 + column]. */
    final boolean[] bricks = new boolean[CELLS];

    Breakout(long seed, double sticky, boolean ramping) {
        super("breakout", List.of("paddle", "ball", "trail", "brick"), new int[] {NOOP, LEFT, RIGHT}, seed, sticky,
                ramping);
    }

    @Override
    void resetGame() {
        // The ball starts on row 3 in the left corner heading down-right or in the right corner
        // heading down-left, each with probability 1/2; the paddle in column 4; bricks on rows 1-3.
        ballY = 3;
        if (rng.nextInt(2) == 0) {
            ballX = 0;
            ballDir = 2;
        } else {
            ballX = 9;
            ballDir = 3;
        }
        paddle = 4;
        java.util.Arrays.fill(bricks, false);
        fillBrickRows();
        strike = false;
        lastX = ballX;
        lastY = ballY;
    }

    private void fillBrickRows() {
        java.util.Arrays.fill(bricks, 1 * SIZE, 4 * SIZE, true);
    }

    private boolean anyBrick() {
        for (boolean b : bricks) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    @Override
    int act(int a) {
        int r = 0;
        // Left and right move the paddle one cell, within the grid; other actions do nothing.
        if (a == LEFT) {
            paddle = Math.max(0, paddle - 1);
        } else if (a == RIGHT) {
            paddle = Math.min(9, paddle + 1);
        }

        lastX = ballX;
        lastY = ballY;
        int newX = ballX + DX[ballDir];
        int newY = ballY + DY[ballDir];

        boolean struckNow = false;
        // A side wall: stay on the edge column and reflect horizontally.
        if (newX < 0 || newX > 9) {
            newX = Math.max(0, Math.min(9, newX));
            ballDir = FLIP_X[ballDir];
        }
        if (newY < 0) {
            // The top wall: stay on row 0 and reflect vertically.
            newY = 0;
            ballDir = FLIP_Y[ballDir];
        } else if (bricks[newY * SIZE + newX]) {
            struckNow = true;
            if (!strike) {
                // A brick: +1, the brick goes, the ball stays on its row and reflects vertically.
                r += 1;
                strike = true;
                bricks[newY * SIZE + newX] = false;
                newY = lastY;
                ballDir = FLIP_Y[ballDir];
            }
        } else if (newY == 9) {
            // Coming down to the paddle's row: first, a cleared wall is rebuilt.
            if (!anyBrick()) {
                fillBrickRows();
            }
            if (ballX == paddle) {
                // The paddle in the ball's column before the move: bounce up, keeping the horizontal direction.
                ballDir = FLIP_Y[ballDir];
                newY = lastY;
            } else if (newX == paddle) {
                // The paddle in the cell the ball moves to: bounce back the way it came.
                ballDir = FLIP_BOTH[ballDir];
                newY = lastY;
            } else {
                terminal = true;
            }
        }
        if (!struckNow) {
            strike = false;
        }
        ballX = newX;
        ballY = newY;
        return r;
    }

    @Override
    public int difficultyRamp() {
        return -1;
    }

    @Override
    void draw(float[] out, int o) {
        set(out, o, BALL, ballY, ballX);
        set(out, o, PADDLE, 9, paddle);
        set(out, o, TRAIL, lastY, lastX);
        for (int i = 0; i < CELLS; i++) {
            if (bricks[i]) {
                out[o + BRICK * CELLS + i] = 1f;
            }
        }
    }

    @Override
    void writeGame(StateWriter w) {
        w.put(ballX);
        w.put(ballY);
        w.put(ballDir);
        w.put(paddle);
        w.put(lastX);
        w.put(lastY);
        w.put(strike);
        w.put(bricks);
    }

    @Override
    void readGame(StateReader r) {
        ballX = r.getInt();
        ballY = r.getInt();
        ballDir = r.getInt();
        paddle = r.getInt();
        lastX = r.getInt();
        lastY = r.getInt();
        strike = r.getBoolean();
        r.getBooleans(bricks);
    }
}

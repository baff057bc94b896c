package org.weightnorm4j.rl;

import java.util.List;

/**
 * MinAtar's Space Invaders. A cannon on the bottom row moves left and right and fires upward (at
 * most once every 5 frames); a block of 4 by 6 aliens marches sideways, stepping down and turning
 * at the edges, and the alien nearest the cannon fires downward every 10 frames. +1 per alien shot;
 * the episode ends when an alien or an enemy bullet reaches the cannon's cell, or when the block
 * must step down while an alien is on the bottom row. The block moves every {@code min(aliens left,
 * interval)} frames; each cleared wave brings a new one, and with ramping the interval drops from 12
 * by one per wave, down to 6. Channels: cannon, alien, alien_left, alien_right (the block's
 * direction, set where the aliens are), friendly_bullet, enemy_bullet.
 *
 * <p>The grids are stored as ten row masks, bit c for column c.
 */
final class SpaceInvaders extends MinAtarGame {
    static final int CANNON = 0;
    static final int ALIEN = 1;
    static final int ALIEN_LEFT = 2;
    static final int ALIEN_RIGHT = 3;
    static final int FRIENDLY_BULLET = 4;
    static final int ENEMY_BULLET = 5;

    /** Frames between the cannon's shots (shot_cool_down). */
    static final int SHOT_COOL_DOWN = 5;
    /** The first wave's move interval (enemy_move_interval). */
    static final int ENEMY_MOVE_INTERVAL = 12;
    /** Frames between alien shots (enemy_shot_interval). */
    static final int ENEMY_SHOT_INTERVAL = 10;
    /** Ramping stops lowering the interval at this value. */
    static final int MIN_MOVE_INTERVAL = 6;
    private static final int ROW_BITS = (1 << SIZE) - 1;
    /** Aliens of a new wave: rows 0-3, columns 2-7. */
    private static final int WAVE_ROW = 0b0011111100;

    int pos;
    final int[] aliens = new int[SIZE];
    final int[] friendlyBullets = new int[SIZE];
    final int[] enemyBullets = new int[SIZE];
    /** -1 left, +1 right. */
    int alienDir;
    int enemyMoveInterval;
    int alienMoveTimer;
    int alienShotTimer;
    int rampIndex;
    int shotTimer;

    SpaceInvaders(long seed, double sticky, boolean ramping) {
        super("space_invaders",
                List.of("cannon", "alien", "alien_left", "alien_right", "friendly_bullet", "enemy_bullet"),
                new int[] {NOOP, LEFT, RIGHT, FIRE}, seed, sticky, ramping);
    }

    @Override
    void resetGame() {
        pos = 5;
        java.util.Arrays.fill(friendlyBullets, 0);
        java.util.Arrays.fill(enemyBullets, 0);
        java.util.Arrays.fill(aliens, 0);
        newWave();
        alienDir = -1;
        enemyMoveInterval = ENEMY_MOVE_INTERVAL;
        alienMoveTimer = enemyMoveInterval;
        alienShotTimer = ENEMY_SHOT_INTERVAL;
        rampIndex = 0;
        shotTimer = 0;
    }

    private void newWave() {
        for (int row = 0; row < 4; row++) {
            aliens[row] |= WAVE_ROW;
        }
    }

    static boolean cell(int[] grid, int row, int column) {
        return (grid[row] >>> column & 1) != 0;
    }

    private static int count(int[] grid) {
        int n = 0;
        for (int m : grid) {
            n += Integer.bitCount(m);
        }
        return n;
    }

    private static boolean columnAny(int[] grid, int column) {
        for (int m : grid) {
            if ((m >>> column & 1) != 0) {
                return true;
            }
        }
        return false;
    }

    /** numpy's roll by +1 along rows: every row moves down one, the bottom row wraps to the top. */
    private static void rollDown(int[] grid) {
        int bottom = grid[SIZE - 1];
        System.arraycopy(grid, 0, grid, 1, SIZE - 1);
        grid[0] = bottom;
    }

    @Override
    int act(int a) {
        int r = 0;
        // Fire puts a bullet in the cannon's cell if the cool-down is over; only otherwise can
        // left or right move the cannon (fire during the cool-down does nothing).
        if (a == FIRE && shotTimer == 0) {
            friendlyBullets[9] |= 1 << pos;
            shotTimer = SHOT_COOL_DOWN;
        } else if (a == LEFT) {
            pos = Math.max(0, pos - 1);
        } else if (a == RIGHT) {
            pos = Math.min(9, pos + 1);
        }

        // Friendly bullets rise one row; those on row 0 leave.
        System.arraycopy(friendlyBullets, 1, friendlyBullets, 0, SIZE - 1);
        friendlyBullets[9] = 0;

        // Enemy bullets fall one row; those on row 9 leave; one landing on the cannon ends the game.
        System.arraycopy(enemyBullets, 0, enemyBullets, 1, SIZE - 1);
        enemyBullets[0] = 0;
        if (cell(enemyBullets, 9, pos)) {
            terminal = true;
        }

        if (cell(aliens, 9, pos)) {
            terminal = true;
        }
        if (alienMoveTimer == 0) {
            // The block moves faster as it thins: the next move comes after min(aliens, interval).
            alienMoveTimer = Math.min(count(aliens), enemyMoveInterval);
            if ((columnAny(aliens, 0) && alienDir < 0) || (columnAny(aliens, 9) && alienDir > 0)) {
                // At the edge: turn and step down one row; on the bottom row already, game over (the
                // step is numpy's roll, so that row wraps to the top).
                alienDir = -alienDir;
                if (aliens[9] != 0) {
                    terminal = true;
                }
                rollDown(aliens);
            } else {
                // A sideways step (numpy's roll along columns, which never wraps here since the
                // block turns before reaching past an edge).
                for (int row = 0; row < SIZE; row++) {
                    int m = aliens[row];
                    aliens[row] = alienDir > 0
                            ? ((m << 1) | (m >>> (SIZE - 1))) & ROW_BITS
                            : ((m >>> 1) | ((m & 1) << (SIZE - 1))) & ROW_BITS;
                }
            }
            if (cell(aliens, 9, pos)) {
                terminal = true;
            }
        }
        if (alienShotTimer == 0) {
            // The alien nearest the cannon shoots: the lowest alien of the nearest non-empty column
            // (ties between columns go to the left one); the bullet starts in its cell.
            alienShotTimer = ENEMY_SHOT_INTERVAL;
            shootFromNearestAlien();
        }

        // Aliens sharing a cell with a friendly bullet die, +1 each, and take the bullet with them.
        for (int row = 0; row < SIZE; row++) {
            int kill = aliens[row] & friendlyBullets[row];
            if (kill != 0) {
                r += Integer.bitCount(kill);
                aliens[row] &= ~kill;
                friendlyBullets[row] &= ~kill;
            }
        }

        if (shotTimer > 0) {
            shotTimer -= 1;
        }
        alienMoveTimer -= 1;
        alienShotTimer -= 1;
        if (count(aliens) == 0) {
            // A cleared wave: with ramping the next one moves faster, down to an interval of 6.
            // The move timer and direction carry over.
            if (enemyMoveInterval > MIN_MOVE_INTERVAL && ramping) {
                enemyMoveInterval -= 1;
                rampIndex += 1;
            }
            newWave();
        }
        return r;
    }

    private void shootFromNearestAlien() {
        for (int d = 0; d < SIZE; d++) {
            int left = pos - d;
            if (left >= 0 && shootFrom(left)) {
                return;
            }
            int right = pos + d;
            if (d > 0 && right <= 9 && shootFrom(right)) {
                return;
            }
        }
    }

    private boolean shootFrom(int column) {
        for (int row = SIZE - 1; row >= 0; row--) {
            if (cell(aliens, row, column)) {
                enemyBullets[row] |= 1 << column;
                return true;
            }
        }
        return false;
    }

    @Override
    public int difficultyRamp() {
        return rampIndex;
    }

    @Override
    void draw(float[] out, int o) {
        set(out, o, CANNON, 9, pos);
        int direction = alienDir < 0 ? ALIEN_LEFT : ALIEN_RIGHT;
        for (int row = 0; row < SIZE; row++) {
            drawRow(out, o, ALIEN, row, aliens[row]);
            drawRow(out, o, direction, row, aliens[row]);
            drawRow(out, o, FRIENDLY_BULLET, row, friendlyBullets[row]);
            drawRow(out, o, ENEMY_BULLET, row, enemyBullets[row]);
        }
    }

    /** Sets the cells of one row mask, visiting only its set bits. */
    private static void drawRow(float[] out, int o, int channel, int row, int mask) {
        while (mask != 0) {
            set(out, o, channel, row, Integer.numberOfTrailingZeros(mask));
            mask &= mask - 1;
        }
    }

    @Override
    void writeGame(StateWriter w) {
        w.put(pos);
        w.put(aliens);
        w.put(friendlyBullets);
        w.put(enemyBullets);
        w.put(alienDir);
        w.put(enemyMoveInterval);
        w.put(alienMoveTimer);
        w.put(alienShotTimer);
        w.put(rampIndex);
        w.put(shotTimer);
    }

    @Override
    void readGame(StateReader r) {
        pos = r.getInt();
        r.getInts(aliens);
        r.getInts(friendlyBullets);
        r.getInts(enemyBullets);
        alienDir = r.getInt();
        enemyMoveInterval = r.getInt();
        alienMoveTimer = r.getInt();
        alienShotTimer = r.getInt();
        rampIndex = r.getInt();
        shotTimer = r.getInt();
    }
}

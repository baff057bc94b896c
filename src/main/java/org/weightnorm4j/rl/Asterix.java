package org.weightnorm4j.rl;

import java.util.List;

/**
 * MinAtar's Asterix. The player moves in four directions on rows 1-8; enemies and gold enter from a
 * side on one of eight rows (one object per row) and cross the screen; touching gold gives +1 and
 * removes it, touching an enemy ends the episode. Channels: player, enemy, trail (the cell behind
 * each enemy or gold), gold. Ramping speeds up spawning and movement every 100-odd frames.
 */
final class Asterix extends MinAtarGame {
    static final int PLAYER = 0;
    static final int ENEMY = 1;
    static final int TRAIL = 2;
    static final int GOLD = 3;

    /** Frames between difficulty steps (MinAtar's ramp_interval). */
    static final int RAMP_INTERVAL = 100;
    /** Frames between spawns at the start (init_spawn_speed). */
    static final int INIT_SPAWN_SPEED = 10;
    /** Frames between object moves at the start (init_move_interval). */
    static final int INIT_MOVE_INTERVAL = 5;
    static final int SLOTS = 8;

    int playerX;
    int playerY;
    /** Slot i holds the object of row i+1, if any. */
    final boolean[] present = new boolean[SLOTS];
    final int[] entityX = new int[SLOTS];
    /** Whether the object moves right (it entered on the left). */
    final boolean[] movesRight = new boolean[SLOTS];
    final boolean[] gold = new boolean[SLOTS];
    int spawnSpeed;
    int spawnTimer;
    int moveSpeed;
    int moveTimer;
    int rampTimer;
    int rampIndex;
    /** Scratch for the free slots of a spawn. */
    private final int[] freeSlots = new int[SLOTS];

    Asterix(long seed, double sticky, boolean ramping) {
        super("asterix", List.of("player", "enemy", "trail", "gold"), new int[] {NOOP, LEFT, UP, RIGHT, DOWN}, seed,
                sticky, ramping);
    }

    @Override
    void resetGame() {
        playerX = 5;
        playerY = 5;
        java.util.Arrays.fill(present, false);
        spawnSpeed = INIT_SPAWN_SPEED;
        spawnTimer = spawnSpeed;
        moveSpeed = INIT_MOVE_INTERVAL;
        moveTimer = moveSpeed;
        rampTimer = RAMP_INTERVAL;
        rampIndex = 0;
    }

    @Override
    int act(int a) {
        int r = 0;
        // A spawn when the spawn timer has run down, then the timer restarts at the spawn speed.
        if (spawnTimer == 0) {
            spawn();
            spawnTimer = spawnSpeed;
        }
        // The player moves one cell; columns 0-9, rows 1-8.
        if (a == LEFT) {
            playerX = Math.max(0, playerX - 1);
        } else if (a == RIGHT) {
            playerX = Math.min(9, playerX + 1);
        } else if (a == UP) {
            playerY = Math.max(1, playerY - 1);
        } else if (a == DOWN) {
            playerY = Math.min(8, playerY + 1);
        }
        // Contact after the player's move: gold is collected (+1), an enemy ends the episode.
        for (int i = 0; i < SLOTS; i++) {
            if (present[i] && touchesPlayer(i)) {
                r += meet(i);
            }
        }
        // Every moveSpeed frames (the timer counts down every frame) all objects move one cell;
        // one leaving the grid is gone.
        if (moveTimer == 0) {
            moveTimer = moveSpeed;
            for (int i = 0; i < SLOTS; i++) {
                if (present[i]) {
                    entityX[i] += movesRight[i] ? 1 : -1;
                    if (entityX[i] < 0 || entityX[i] > 9) {
                        present[i] = false;
                    } else if (touchesPlayer(i)) {
                        r += meet(i);
                    }
                }
            }
        }
        spawnTimer -= 1;
        moveTimer -= 1;
        ramp();
        return r;
    }

    private boolean touchesPlayer(int slot) {
        return entityX[slot] == playerX && slot + 1 == playerY;
    }

    private int meet(int slot) {
        if (gold[slot]) {
            present[slot] = false;
            return 1;
        }
        terminal = true;
        return 0;
    }

    /**
     * MinAtar's ramp: while spawning or moving can still get faster, a counter runs from 100 down
     * past 0; on the frame after it reaches -1 the spawn interval drops by one (down to 1) and, on
     * every second step (odd ramp index), so does the move interval; then the counter restarts.
     */
    private void ramp() {
        if (ramping && (spawnSpeed > 1 || moveSpeed > 1)) {
            if (rampTimer >= 0) {
                rampTimer -= 1;
            } else {
                if (moveSpeed > 1 && rampIndex % 2 == 1) {
                    moveSpeed -= 1;
                }
                if (spawnSpeed > 1) {
                    spawnSpeed -= 1;
                }
                rampIndex += 1;
                rampTimer = RAMP_INTERVAL;
            }
        }
    }

    /**
     * A new object: from the left (moving right) or the right with probability 1/2 each, gold with
     * probability 1/3, in a uniformly chosen free row; nothing if all eight rows are taken.
     */
    private void spawn() {
        boolean fromLeft = rng.nextDouble() < 0.5;
        boolean isGold = rng.nextDouble() < 1.0 / 3;
        int free = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (!present[i]) {
                freeSlots[free++] = i;
            }
        }
        if (free == 0) {
            return;
        }
        int slot = freeSlots[rng.nextInt(free)];
        present[slot] = true;
        entityX[slot] = fromLeft ? 0 : 9;
        movesRight[slot] = fromLeft;
        gold[slot] = isGold;
    }

    @Override
    public int difficultyRamp() {
        return rampIndex;
    }

    @Override
    void draw(float[] out, int o) {
        set(out, o, PLAYER, playerY, playerX);
        for (int i = 0; i < SLOTS; i++) {
            if (present[i]) {
                int row = i + 1;
                set(out, o, gold[i] ? GOLD : ENEMY, row, entityX[i]);
                int back = movesRight[i] ? entityX[i] - 1 : entityX[i] + 1;
                if (back >= 0 && back <= 9) {
                    set(out, o, TRAIL, row, back);
                }
            }
        }
    }

    @Override
    void writeGame(StateWriter w) {
        w.put(playerX);
        w.put(playerY);
        w.put(present);
        w.put(entityX);
        w.put(movesRight);
        w.put(gold);
        w.put(spawnSpeed);
        w.put(spawnTimer);
        w.put(moveSpeed);
        w.put(moveTimer);
        w.put(rampTimer);
        w.put(rampIndex);
    }

    @Override
    void readGame(StateReader r) {
        playerX = r.getInt();
        playerY = r.getInt();
        r.getBooleans(present);
        r.getInts(entityX);
        r.getBooleans(movesRight);
        r.getBooleans(gold);
        spawnSpeed = r.getInt();
        spawnTimer = r.getInt();
        moveSpeed = r.getInt();
        moveTimer = r.getInt();
        rampTimer = r.getInt();
        rampIndex = r.getInt();
    }
}

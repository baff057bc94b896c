package org.weightnorm4j.rl;

import static org.weightnorm4j.rl.EntityList.MOVES_RIGHT;
import static org.weightnorm4j.rl.EntityList.SHOT_TIMER;
import static org.weightnorm4j.rl.EntityList.TIMER;
import static org.weightnorm4j.rl.EntityList.X;
import static org.weightnorm4j.rl.EntityList.Y;

import java.util.List;

/**
 * MinAtar's Seaquest, as of version 1.0.11 and later (oxygen runs out on the frame it reaches 0).
 *
 * <p>The player's submarine (a front and a back cell, so its heading shows) moves in rows 0-8 and
 * fires sideways. Enemy fish and enemy subs enter from a side on rows 1-8 and cross; subs fire
 * too. Shooting an enemy gives +1. Divers cross the same way; touching one picks it up (at most 6
 * aboard). Oxygen (200) falls by one per frame under water. Coming up to row 0 with no diver aboard
 * ends the episode; with 1-5 divers it costs one diver and refills the oxygen; with 6 it gives
 * {@code oxygen*10/200} (rounded down) and refills the oxygen. Every surfacing raises the
 * difficulty when ramping. The episode also ends when the player shares a cell with an enemy or an
 * enemy bullet, or when the oxygen has reached 0.
 *
 * <p>Channels: sub_front, sub_back, friendly_bullet, trail (behind each fish, enemy sub and diver),
 * enemy_bullet, enemy_fish, enemy_sub, oxygen_guage (row 9 from the left, one cell per 20 oxygen),
 * diver_guage (row 9 ending at column 8, one cell per diver), diver. MinAtar spells "guage".
 */
final class Seaquest extends MinAtarGame {
    static final int SUB_FRONT = 0;
    static final int SUB_BACK = 1;
    static final int FRIENDLY_BULLET = 2;
    static final int TRAIL = 3;
    static final int ENEMY_BULLET = 4;
    static final int ENEMY_FISH = 5;
    static final int ENEMY_SUB = 6;
    static final int OXYGEN_GAUGE = 7;
    static final int DIVER_GAUGE = 8;
    static final int DIVER = 9;

    /** MinAtar's constants. */
    static final int MAX_OXYGEN = 200;
    static final int INIT_SPAWN_SPEED = 20;
    static final int DIVER_SPAWN_SPEED = 30;
    static final int INIT_MOVE_INTERVAL = 5;
    static final int SHOT_COOL_DOWN = 5;
    static final int ENEMY_SHOT_INTERVAL = 10;
    static final int DIVER_MOVE_INTERVAL = 5;
    static final int MAX_DIVERS = 6;

    int oxygen;
    /**
     * Divers aboard. MinAtar sets it to 0 and then subtracts one when surfacing with six, so after a
     * full surfacing it is -1 (the gauge shows none); kept as is.
     */
    int diverCount;
    int subX;
    int subY;
    boolean facingRight;
    /** Whether the player has already surfaced (no second surfacing until it dives again). */
    boolean surface;
    int enemySpawnSpeed;
    int enemySpawnTimer;
    int diverSpawnTimer;
    int moveSpeed;
    int rampIndex;
    int shotTimer;
    /** (x, y, right). */
    final EntityList friendlyBullets = new EntityList(3, 8);
    /** (x, y, right). */
    final EntityList enemyBullets = new EntityList(3, 32);
    /** (x, y, right, move timer). */
    final EntityList fish = new EntityList(4, 32);
    /** (x, y, right, move timer, shot timer). */
    final EntityList subs = new EntityList(5, 32);
    /** (x, y, right, move timer). */
    final EntityList divers = new EntityList(4, 8);

    Seaquest(long seed, double sticky, boolean ramping) {
        super("seaquest", List.of("sub_front", "sub_back", "friendly_bullet", "trail", "enemy_bullet", "enemy_fish",
                "enemy_sub", "oxygen_guage", "diver_guage", "diver"),
                new int[] {NOOP, LEFT, UP, RIGHT, DOWN, FIRE}, seed, sticky, ramping);
    }

    @Override
    void resetGame() {
        oxygen = MAX_OXYGEN;
        diverCount = 0;
        subX = 5;
        subY = 0;
        facingRight = false;
        friendlyBullets.clear();
        enemyBullets.clear();
        fish.clear();
        subs.clear();
        divers.clear();
        enemySpawnSpeed = INIT_SPAWN_SPEED;
        enemySpawnTimer = enemySpawnSpeed;
        diverSpawnTimer = DIVER_SPAWN_SPEED;
        moveSpeed = INIT_MOVE_INTERVAL;
        rampIndex = 0;
        shotTimer = 0;
        surface = true;
    }

    private boolean atPlayer(int x, int y) {
        return x == subX && y == subY;
    }

    private static int dx(int right) {
        return right == 1 ? 1 : -1;
    }

    @Override
    int act(int a) {
        int r = 0;
        // Spawns come first, when their timers are at 0; the timers then restart.
        if (enemySpawnTimer == 0) {
            spawnEnemy();
            enemySpawnTimer = enemySpawnSpeed;
        }
        if (diverSpawnTimer == 0) {
            spawnDiver();
            diverSpawnTimer = DIVER_SPAWN_SPEED;
        }
        // Fire (cool-down over) launches a bullet from the sub's front cell in its heading; left
        // and right move and turn the sub; up and down move it within rows 0-8.
        if (a == FIRE && shotTimer == 0) {
            friendlyBullets.add(subX, subY, facingRight ? 1 : 0, 0, 0);
            shotTimer = SHOT_COOL_DOWN;
        } else if (a == LEFT) {
            subX = Math.max(0, subX - 1);
            facingRight = false;
        } else if (a == RIGHT) {
            subX = Math.min(9, subX + 1);
            facingRight = true;
        } else if (a == UP) {
            subY = Math.max(0, subY - 1);
        } else if (a == DOWN) {
            subY = Math.min(8, subY + 1);
        }

        // The updates run in MinAtar's order, each list newest first.
        r += moveFriendlyBullets();
        moveDivers();
        r += moveEnemySubs();
        moveEnemyBullets();
        r += moveFish();

        if (enemySpawnTimer > 0) {
            enemySpawnTimer -= 1;
        }
        if (diverSpawnTimer > 0) {
            diverSpawnTimer -= 1;
        }
        if (shotTimer > 0) {
            shotTimer -= 1;
        }
        // Oxygen is checked before this frame's use: at 0 the episode ends (MinAtar 1.0.11's fix).
        if (oxygen <= 0) {
            terminal = true;
        }
        if (subY > 0) {
            oxygen -= 1;
            surface = false;
        } else if (!surface) {
            if (diverCount == 0) {
                terminal = true;
            } else {
                r += surface();
            }
        }
        return r;
    }

    /** Friendly bullets move one cell every frame; one reaching a fish, else an enemy sub, kills it (+1). */
    private int moveFriendlyBullets() {
        int r = 0;
        for (int i = friendlyBullets.size() - 1; i >= 0; i--) {
            if (i >= friendlyBullets.size()) {
                break;
            }
            int x = friendlyBullets.get(i, X) + dx(friendlyBullets.get(i, MOVES_RIGHT));
            int y = friendlyBullets.get(i, Y);
            friendlyBullets.set(i, X, x);
            if (x < 0 || x > 9) {
                friendlyBullets.removeFirstEqualTo(i);
                continue;
            }
            int k = fish.indexAt(x, y);
            if (k >= 0) {
                fish.removeAt(k);
                friendlyBullets.removeFirstEqualTo(i);
                r += 1;
                continue;
            }
            k = subs.indexAt(x, y);
            if (k >= 0) {
                subs.removeAt(k);
                friendlyBullets.removeFirstEqualTo(i);
                r += 1;
            }
        }
        return r;
    }

    /**
     * A diver in the sub's cell is picked up if fewer than six are aboard; otherwise divers move one
     * cell every DIVER_MOVE_INTERVAL+1 frames, leave at the edge, and are picked up where they land.
     */
    private void moveDivers() {
        for (int i = divers.size() - 1; i >= 0; i--) {
            if (i >= divers.size()) {
                break;
            }
            int x = divers.get(i, X);
            int y = divers.get(i, Y);
            if (atPlayer(x, y) && diverCount < MAX_DIVERS) {
                divers.removeFirstEqualTo(i);
                diverCount += 1;
            } else if (divers.get(i, TIMER) == 0) {
                divers.set(i, TIMER, DIVER_MOVE_INTERVAL);
                x += dx(divers.get(i, MOVES_RIGHT));
                divers.set(i, X, x);
                if (x < 0 || x > 9) {
                    divers.removeFirstEqualTo(i);
                } else if (atPlayer(x, y) && diverCount < MAX_DIVERS) {
                    divers.removeFirstEqualTo(i);
                    diverCount += 1;
                }
            } else {
                divers.set(i, TIMER, divers.get(i, TIMER) - 1);
            }
        }
    }

    /**
     * Enemy subs: contact with the player ends the episode; every moveSpeed+1 frames a sub moves one
     * cell, leaving at the edge or dying on a friendly bullet (+1); every ENEMY_SHOT_INTERVAL+1
     * frames it fires a bullet from its cell in its direction. As in MinAtar, a sub removed this
     * frame still fires if its shot timer was at 0.
     */
    private int moveEnemySubs() {
        int r = 0;
        for (int i = subs.size() - 1; i >= 0; i--) {
            if (i >= subs.size()) {
                break;
            }
            int current = i;
            int x = subs.get(i, X);
            int y = subs.get(i, Y);
            int right = subs.get(i, MOVES_RIGHT);
            int shot = subs.get(i, SHOT_TIMER);
            if (atPlayer(x, y)) {
                terminal = true;
            }
            if (subs.get(i, TIMER) == 0) {
                subs.set(i, TIMER, moveSpeed);
                x += dx(right);
                subs.set(i, X, x);
                if (x < 0 || x > 9) {
                    current = EntityList.afterRemoval(current, subs.removeFirstEqualTo(current));
                } else if (atPlayer(x, y)) {
                    terminal = true;
                } else {
                    int k = friendlyBullets.indexAt(x, y);
                    if (k >= 0) {
                        current = EntityList.afterRemoval(current, subs.removeFirstEqualTo(current));
                        friendlyBullets.removeAt(k);
                        r += 1;
                    }
                }
            } else {
                subs.set(i, TIMER, subs.get(i, TIMER) - 1);
            }
            if (shot == 0) {
                shot = ENEMY_SHOT_INTERVAL;
                enemyBullets.add(x, y, right, 0, 0);
            } else {
                shot -= 1;
            }
            if (current >= 0) {
                subs.set(current, SHOT_TIMER, shot);
            }
        }
        return r;
    }

    /** Enemy bullets move one cell every frame; the player's cell before or after the move is fatal. */
    private void moveEnemyBullets() {
        for (int i = enemyBullets.size() - 1; i >= 0; i--) {
            if (i >= enemyBullets.size()) {
                break;
            }
            int x = enemyBullets.get(i, X);
            int y = enemyBullets.get(i, Y);
            if (atPlayer(x, y)) {
                terminal = true;
            }
            x += dx(enemyBullets.get(i, MOVES_RIGHT));
            enemyBullets.set(i, X, x);
            if (x < 0 || x > 9) {
                enemyBullets.removeFirstEqualTo(i);
            } else if (atPlayer(x, y)) {
                terminal = true;
            }
        }
    }

    /** Fish: as enemy subs, without firing. */
    private int moveFish() {
        int r = 0;
        for (int i = fish.size() - 1; i >= 0; i--) {
            if (i >= fish.size()) {
                break;
            }
            int x = fish.get(i, X);
            int y = fish.get(i, Y);
            if (atPlayer(x, y)) {
                terminal = true;
            }
            if (fish.get(i, TIMER) == 0) {
                fish.set(i, TIMER, moveSpeed);
                x += dx(fish.get(i, MOVES_RIGHT));
                fish.set(i, X, x);
                if (x < 0 || x > 9) {
                    fish.removeFirstEqualTo(i);
                } else if (atPlayer(x, y)) {
                    terminal = true;
                } else {
                    int k = friendlyBullets.indexAt(x, y);
                    if (k >= 0) {
                        fish.removeFirstEqualTo(i);
                        friendlyBullets.removeAt(k);
                        r += 1;
                    }
                }
            } else {
                fish.set(i, TIMER, fish.get(i, TIMER) - 1);
            }
        }
        return r;
    }

    /**
     * Surfacing with divers aboard: with six, all are let off and the reward is oxygen*10/200; else
     * none; then the oxygen refills, one diver is subtracted (from 0 too, see {@link #diverCount}),
     * and with ramping the enemies spawn one frame sooner (down to 1) and, on every second surfacing
     * (odd ramp index), move one frame sooner (down to 2).
     */
    private int surface() {
        surface = true;
        int r = 0;
        if (diverCount == MAX_DIVERS) {
            diverCount = 0;
            r = Math.floorDiv(oxygen * 10, MAX_OXYGEN);
        }
        oxygen = MAX_OXYGEN;
        diverCount -= 1;
        if (ramping && (enemySpawnSpeed > 1 || moveSpeed > 2)) {
            if (moveSpeed > 2 && rampIndex % 2 == 1) {
                moveSpeed -= 1;
            }
            if (enemySpawnSpeed > 1) {
                enemySpawnSpeed -= 1;
            }
            rampIndex += 1;
        }
        return r;
    }

    /**
     * An enemy enters from the left or right (1/2 each) on a uniform row 1-8, a sub with probability
     * 1/3 else a fish, unless that row already has an enemy going the other way.
     */
    private void spawnEnemy() {
        int right = rng.nextDouble() < 0.5 ? 1 : 0;
        boolean isSub = rng.nextDouble() < 1.0 / 3;
        int x = right == 1 ? 0 : 9;
        int y = 1 + rng.nextInt(8);
        if (subs.opposingInRow(y, right) || fish.opposingInRow(y, right)) {
            return;
        }
        if (isSub) {
            subs.add(x, y, right, moveSpeed, ENEMY_SHOT_INTERVAL);
        } else {
            fish.add(x, y, right, moveSpeed, 0);
        }
    }

    /** A diver enters from the left or right (1/2 each) on a uniform row 1-8. */
    private void spawnDiver() {
        int right = rng.nextDouble() < 0.5 ? 1 : 0;
        int x = right == 1 ? 0 : 9;
        int y = 1 + rng.nextInt(8);
        divers.add(x, y, right, DIVER_MOVE_INTERVAL, 0);
    }

    @Override
    public int difficultyRamp() {
        return rampIndex;
    }

    @Override
    void draw(float[] out, int o) {
        set(out, o, SUB_FRONT, subY, subX);
        // The back is behind the heading; in play it is always on the grid (the sub reaches column
        // 0 only heading left and column 9 only heading right). floorMod is numpy's -1 for safety.
        set(out, o, SUB_BACK, subY, Math.floorMod(facingRight ? subX - 1 : subX + 1, SIZE));
        int oxygenCells = Math.max(0, oxygen) * 10 / MAX_OXYGEN;
        for (int c = 0; c < oxygenCells; c++) {
            set(out, o, OXYGEN_GAUGE, 9, c);
        }
        // numpy's slice [9 - divers : 9]: empty for zero or negative counts.
        for (int c = Math.max(0, 9 - diverCount); c < 9; c++) {
            set(out, o, DIVER_GAUGE, 9, c);
        }
        for (int i = 0; i < friendlyBullets.size(); i++) {
            set(out, o, FRIENDLY_BULLET, friendlyBullets.get(i, Y), friendlyBullets.get(i, X));
        }
        for (int i = 0; i < enemyBullets.size(); i++) {
            set(out, o, ENEMY_BULLET, enemyBullets.get(i, Y), enemyBullets.get(i, X));
        }
        drawMovers(out, o, fish, ENEMY_FISH);
        drawMovers(out, o, subs, ENEMY_SUB);
        drawMovers(out, o, divers, DIVER);
    }

    /** Each object in its channel, and the trail channel in the cell behind it when on the grid. */
    private static void drawMovers(float[] out, int o, EntityList list, int channel) {
        for (int i = 0; i < list.size(); i++) {
            int x = list.get(i, X);
            int y = list.get(i, Y);
            set(out, o, channel, y, x);
            int back = x - dx(list.get(i, MOVES_RIGHT));
            if (back >= 0 && back <= 9) {
                set(out, o, TRAIL, y, back);
            }
        }
    }

    @Override
    void writeGame(StateWriter w) {
        w.put(oxygen);
        w.put(diverCount);
        w.put(subX);
        w.put(subY);
        w.put(facingRight);
        w.put(surface);
        w.put(enemySpawnSpeed);
        w.put(enemySpawnTimer);
        w.put(diverSpawnTimer);
        w.put(moveSpeed);
        w.put(rampIndex);
        w.put(shotTimer);
        friendlyBullets.write(w);
        enemyBullets.write(w);
        fish.write(w);
        subs.write(w);
        divers.write(w);
    }

    @Override
    void readGame(StateReader r) {
        oxygen = r.getInt();
        diverCount = r.getInt();
        subX = r.getInt();
        subY = r.getInt();
        facingRight = r.getBoolean();
        surface = r.getBoolean();
        enemySpawnSpeed = r.getInt();
        enemySpawnTimer = r.getInt();
        diverSpawnTimer = r.getInt();
        moveSpeed = r.getInt();
        rampIndex = r.getInt();
        shotTimer = r.getInt();
        friendlyBullets.read(r);
        enemyBullets.read(r);
        fish.read(r);
        subs.read(r);
        divers.read(r);
    }
}

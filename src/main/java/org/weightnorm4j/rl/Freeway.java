package org.weightnorm4j.rl;

import java.util.List;

/**
 * MinAtar's Freeway. A chicken in column 4 crosses eight lanes of traffic (rows 1-8) from the
 * bottom row to the top; it may move up or down at most once every three frames. Reaching row 0
 * gives +1, puts the chicken back at the bottom and redraws every car's speed and direction; a car
 * in the chicken's cell sends it back to the bottom. Cars wrap around. The episode ends after 2,500
 * frames (on the 2,501st step: MinAtar's timer starts at 2,500 and ends the game when it goes below
 * zero). Channels: chicken, car, and speed1..speed5: the cell behind each car, in the channel of how
 * many frames the car waits between moves. No ramping.
 */
final class Freeway extends MinAtarGame {
    static final int CHICKEN = 0;
    static final int CAR = 1;
    /** speed1 is channel 2, ..., speed5 channel 6. */
    static final int SPEED1 = 2;

    /** Frames between the chicken's moves (player_speed). */
    static final int PLAYER_SPEED = 3;
    /** MinAtar's time_limit. */
    static final int TIME_LIMIT = 2500;
    static final int CARS = 8;
    static final int CHICKEN_X = 4;

    /** The chicken's row. */
    int pos;
    int moveTimer;
    int terminateTimer;
    /** Car i drives on row i+1. */
    final int[] carX = new int[CARS];
    final int[] carTimer = new int[CARS];
    /** Signed speed: the magnitude 1-5 is the car's wait between moves, the sign its direction. */
    final int[] carSpeed = new int[CARS];

    Freeway(long seed, double sticky, boolean ramping) {
        super("freeway", List.of("chicken", "car", "speed1", "speed2", "speed3", "speed4", "speed5"),
                new int[] {NOOP, UP, DOWN}, seed, sticky, ramping);
    }

    @Override
    void resetGame() {
        // All cars start in column 0.
        randomizeCars(true);
        pos = 9;
        moveTimer = PLAYER_SPEED;
        terminateTimer = TIME_LIMIT;
    }

    /**
     * Each car gets a speed uniform in 1..5 and a direction left or right with probability 1/2 each
     * (all eight speeds drawn, then all eight directions); its wait timer becomes its speed. Only at
     * reset do the cars go back to column 0.
     */
    private void randomizeCars(boolean initialize) {
        for (int i = 0; i < CARS; i++) {
            carSpeed[i] = 1 + rng.nextInt(5);
        }
        for (int i = 0; i < CARS; i++) {
            if (rng.nextDouble() < 0.5) {
                carSpeed[i] = -carSpeed[i];
            }
            carTimer[i] = Math.abs(carSpeed[i]);
            if (initialize) {
                carX[i] = 0;
            }
        }
    }

    @Override
    int act(int a) {
        int r = 0;
        // Up or down only when the move timer is at 0, which restarts it at 3.
        if (a == UP && moveTimer == 0) {
            moveTimer = PLAYER_SPEED;
            pos = Math.max(0, pos - 1);
        } else if (a == DOWN && moveTimer == 0) {
            moveTimer = PLAYER_SPEED;
            pos = Math.min(9, pos + 1);
        }
        // The top: +1, new car speeds, back to the bottom.
        if (pos == 0) {
            r += 1;
            randomizeCars(false);
            pos = 9;
        }
        for (int i = 0; i < CARS; i++) {
            int row = i + 1;
            // A car in the chicken's cell, before or after its move, sends the chicken to the bottom.
            if (carX[i] == CHICKEN_X && row == pos) {
                pos = 9;
            }
            if (carTimer[i] == 0) {
                carTimer[i] = Math.abs(carSpeed[i]);
                carX[i] += carSpeed[i] > 0 ? 1 : -1;
                if (carX[i] < 0) {
                    carX[i] = 9;
                } else if (carX[i] > 9) {
                    carX[i] = 0;
                }
                if (carX[i] == CHICKEN_X && row == pos) {
                    pos = 9;
                }
            } else {
                carTimer[i] -= 1;
            }
        }
        if (moveTimer > 0) {
            moveTimer -= 1;
        }
        terminateTimer -= 1;
        if (terminateTimer < 0) {
            terminal = true;
        }
        return r;
    }

    @Override
    public int difficultyRamp() {
        return -1;
    }

    @Override
    void draw(float[] out, int o) {
        set(out, o, CHICKEN, pos, CHICKEN_X);
        for (int i = 0; i < CARS; i++) {
            int row = i + 1;
            set(out, o, CAR, row, carX[i]);
            int back = carSpeed[i] > 0 ? carX[i] - 1 : carX[i] + 1;
            if (back < 0) {
                back = 9;
            } else if (back > 9) {
                back = 0;
            }
            set(out, o, SPEED1 + Math.abs(carSpeed[i]) - 1, row, back);
        }
    }

    @Override
    void writeGame(StateWriter w) {
        w.put(pos);
        w.put(moveTimer);
        w.put(terminateTimer);
        w.put(carX);
        w.put(carTimer);
        w.put(carSpeed);
    }

    @Override
    void readGame(StateReader r) {
        pos = r.getInt();
        moveTimer = r.getInt();
        terminateTimer = r.getInt();
        r.getInts(carX);
        r.getInts(carTimer);
        r.getInts(carSpeed);
    }
}

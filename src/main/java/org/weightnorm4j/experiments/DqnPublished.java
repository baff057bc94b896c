package org.weightnorm4j.experiments;

import java.util.List;
import java.util.Map;

/**
 * Published DQN numbers that a MinAtar report puts beside ours, with their sources: MinAtar's own
 * DQN learning curves (read off its figure, so approximate) and the weight-normalization paper's
 * Atari table (§5.4; a different benchmark, for reference only).
 */
public final class DqnPublished {
    /** Where the MinAtar numbers come from, and how they were read. */
    public static final String MINATAR_SOURCE = "Young & Tian (2019), MinAtar: An Atari-Inspired Testbed for Thorough and"
            + " Reproducible Reinforcement Learning Experiments (arXiv:1903.03176); the DQN curve (blue) of the learning-curve"
            + " figure in github.com/kenjyoung/MinAtar README (img/learning_curves.gif, commit 4241f24): the 100-episode moving"
            + " average of the return, averaged over 30 seeds. Read off the figure by pixel (scripts/minatar_figure_read.java),"
            + " so approximate (about ±0.3 on Breakout's axis, ±1.5 on Freeway's, ±0.5 on Space Invaders'); MinAtar gives no"
            + " table. Its Seaquest curve was made with MinAtar 1.0.10 or earlier, before the oxygen fix that our Seaquest"
            + " follows (its README says results with the fixed version may differ).";

    /** Frame counts (millions) at which the MinAtar curves were read. */
    public static final double[] MINATAR_FRAMES_M = {0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5};

    /** MinAtar's DQN: 100-episode moving average of returns at {@link #MINATAR_FRAMES_M}, per game (the last read at 4.95M). */
    public static final Map<String, double[]> MINATAR_DQN = Map.of(
            "breakout", new double[] {6.6, 8.3, 8.8, 9.2, 9.4, 9.6, 9.8, 9.9, 9.9, 9.9, 10.0, 10.0},
            "seaquest", new double[] {0.7, 0.8, 0.9, 1.0, 2.0, 4.8, 9.0, 12.9, 15.9, 17.8, 19.9, 20.2},
            "asterix", new double[] {0.8, 1.0, 1.9, 7.0, 12.9, 14.3, 15.3, 15.5, 16.0, 16.5, 16.4, 16.9},
            "freeway", new double[] {6.6, 33.7, 45.2, 47.7, 50.2, 50.6, 50.4, 50.1, 49.9, 49.8, 49.9, 50.1},
            "space_invaders", new double[] {20.6, 27.4, 28.0, 32.2, 37.9, 40.8, 42.1, 43.5, 43.1, 43.4, 43.1, 43.3});

    /** Where the Atari numbers come from. */
    public static final String PAPER_SOURCE = "Salimans & Kingma (2016), Weight Normalization: A Simple Reparameterization"
            + " to Accelerate Training of Deep Neural Networks, NeurIPS 2016, §5.4: maximum evaluation scores of DQN on Atari"
            + " (full games, 200 epochs, Adamax), normal parameterization / weight normalization.";

    /** One game of the paper's Atari table; {@code minatarGame} is our game of the same name, or null (Enduro). */
    public record AtariRow(String game, String minatarGame, int normal, int weightNorm) {
    }

    public static final List<AtariRow> PAPER_ATARI = List.of(
            new AtariRow("Breakout", "breakout", 410, 403),
            new AtariRow("Enduro", null, 1250, 1448),
            new AtariRow("Seaquest", "seaquest", 7188, 7375),
            new AtariRow("Space Invaders", "space_invaders", 1779, 2179));

    private DqnPublished() {
    }

    /**
     * MinAtar's DQN return at {@code frames}, interpolated linearly between the points read; NaN
     * for an unknown game or below the first point read (0.25M frames).
     */
    public static double minatarAt(String game, double frames) {
        double[] y = MINATAR_DQN.get(game);
        double m = frames / 1e6;
        if (y == null || m < MINATAR_FRAMES_M[0] || m > MINATAR_FRAMES_M[MINATAR_FRAMES_M.length - 1]) {
            return Double.NaN;
        }
        for (int i = 1; i < MINATAR_FRAMES_M.length; i++) {
            if (m <= MINATAR_FRAMES_M[i]) {
                double t = (m - MINATAR_FRAMES_M[i - 1]) / (MINATAR_FRAMES_M[i] - MINATAR_FRAMES_M[i - 1]);
                return y[i - 1] + t * (y[i] - y[i - 1]);
            }
        }
        return y[y.length - 1];
    }

    /** MinAtar's DQN at the end of its runs (5M frames). */
    public static double minatarFinal(String game) {
        double[] y = MINATAR_DQN.get(game);
        return y == null ? Double.NaN : y[y.length - 1];
    }

    /** The paper's Atari row for our game, or null. */
    public static AtariRow atari(String minatarGame) {
        for (AtariRow r : PAPER_ATARI) {
            if (minatarGame.equals(r.minatarGame())) {
                return r;
            }
        }
        return null;
    }
}

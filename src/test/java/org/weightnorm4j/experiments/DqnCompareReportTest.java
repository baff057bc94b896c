package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.report.Series;

class DqnCompareReportTest {

    private static DqnRunRecord run(String param, long seed, long[] ends, int[] returns) {
        return new DqnRunRecord(Path.of(param + seed), "breakout", param, seed, ends[ends.length - 1], Double.NaN, Double.NaN,
                "rmsprop", ends, returns, new long[] {100, 200}, Map.of("0_g_over_v_norm", new double[] {4, 2 + seed},
                "0_v_norm", new double[] {1, 2}));
    }

    @Test
    void movingAverageIsTheMeanOfTheLastNEpisodesEndedByEachFrame() {
        DqnRunRecord r = run("wn", 1, new long[] {10, 20, 30, 40}, new int[] {1, 2, 3, 10});
        double[] ma = r.movingAverage(new long[] {5, 10, 25, 30, 100}, 2);
        assertArrayEquals(new double[] {Double.NaN, 1, 1.5, 2.5, 6.5}, ma, 1e-12);
    }

    @Test
    void seedsAreAveragedWithTheirMinAndMaxAndOnlyWhereEverySeedHasARow() {
        double[][] s = DqnCompareReport.meanMinMax(new double[][] {{1, 4}, {3, Double.NaN}});
        assertArrayEquals(new double[] {2, Double.NaN}, s[0], 1e-12);
        assertArrayEquals(new double[] {1, Double.NaN}, s[1], 1e-12);
        assertArrayEquals(new double[] {3, Double.NaN}, s[2], 1e-12);
        var group = new DqnCompareReport.Group("breakout", "wn", List.of(run("wn", 1, new long[] {50}, new int[] {1}),
                run("wn", 2, new long[] {50}, new int[] {1})));
        Series g = DqnCompareReport.columnMean("wn layer 0", group, "0_g_over_v_norm");
        assertArrayEquals(new double[] {1e-4, 2e-4}, g.x(), 1e-15);
        assertArrayEquals(new double[] {4, 3.5}, g.y(), 1e-12);
    }

    @Test
    void publishedMinatarCurveIsInterpolatedAndAbsentBelowItsFirstPoint() {
        assertEquals(DqnPublished.MINATAR_DQN.get("breakout")[3], DqnPublished.minatarAt("breakout", 1_000_000), 1e-12);
        double mid = (DqnPublished.MINATAR_DQN.get("freeway")[0] + DqnPublished.MINATAR_DQN.get("freeway")[1]) / 2;
        assertEquals(mid, DqnPublished.minatarAt("freeway", 375_000), 1e-12);
        assertTrue(Double.isNaN(DqnPublished.minatarAt("breakout", 100_000)));
        assertTrue(Double.isNaN(DqnPublished.minatarAt("pong", 1_000_000)));
        assertEquals(2179, DqnPublished.atari("space_invaders").weightNorm());
        for (double[] curve : DqnPublished.MINATAR_DQN.values()) {
            assertEquals(DqnPublished.MINATAR_FRAMES_M.length, curve.length);
        }
    }
}

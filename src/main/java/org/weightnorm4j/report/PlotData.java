package org.weightnorm4j.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The drawable part of a chart: each series with the points that cannot be drawn left out, and
 * one sentence per omission for the caption. A point cannot be drawn when x or y is NaN or
 * infinite (a diverged run), or when it is not positive on a logarithmic axis.
 *
 * @param drawn series that keep at least one point, in the spec's order
 * @param notes what was left out, one sentence each; empty when everything is drawn
 */
record PlotData(List<Drawn> drawn, List<String> notes) {

    /**
     * One series as drawn.
     *
     * @param name   the series' own name
     * @param legend the legend entry: the name, plus how many points were left out, if any
     * @param x      kept abscissae
     * @param y      kept ordinates
     */
    record Drawn(String name, String legend, double[] x, double[] y) {
    }

    PlotData {
        drawn = List.copyOf(drawn);
        notes = List.copyOf(notes);
    }

    /**
     * @param xAxis the x axis (else the y axis)
     * @return {min, max} over the drawn points on that axis, or null if nothing is drawn
     */
    double[] range(boolean xAxis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Drawn d : drawn) {
            for (double v : xAxis ? d.x() : d.y()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return lo <= hi ? new double[] {lo, hi} : null;
    }

    /** @return the distinct x values of the drawn points, ascending */
    double[] distinctX() {
        return drawn.stream().flatMapToDouble(d -> java.util.Arrays.stream(d.x())).sorted().distinct().toArray();
    }

    /** @return the names of series with no drawable point at all */
    List<String> missing(ChartSpec spec) {
        List<String> out = new ArrayList<>();
        for (Series s : spec.series()) {
            if (drawn.stream().noneMatch(d -> d.name().equals(s.name()))) {
                out.add(s.name());
            }
        }
        return out;
    }

    static PlotData of(ChartSpec spec) {
        List<Drawn> drawn = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Series s : spec.series()) {
            int n = s.size();
            double[] kx = new double[n];
            double[] ky = new double[n];
            int kept = 0;
            int nonFinite = 0;
            int nonPositive = 0;
            double firstBadX = Double.NaN;
            for (int i = 0; i < n; i++) {
                double x = s.xAt(i);
                double y = s.yAt(i);
                if (!Double.isFinite(x) || !Double.isFinite(y)) {
                    if (nonFinite == 0) {
                        firstBadX = x;
                    }
                    nonFinite++;
                } else if ((spec.logX() && x <= 0) || (spec.logY() && y <= 0)) {
                    nonPositive++;
                } else {
                    kx[kept] = x;
                    ky[kept] = y;
                    kept++;
                }
            }
            String quoted = "'" + s.name() + "'";
            if (nonFinite > 0) {
                String where = Double.isFinite(firstBadX) ? " (the first at x = " + Numbers.compact(firstBadX) + ")" : "";
                notes.add(quoted + ": " + count(nonFinite, n) + " NaN or infinite" + where + " and not drawn.");
            }
            if (nonPositive > 0) {
                notes.add(quoted + ": " + count(nonPositive, n) + " not positive and cannot be drawn on the logarithmic axis.");
            }
            if (kept == 0) {
                notes.add(quoted + " has no drawable point and is not shown.");
                continue;
            }
            String legend = kept == n ? s.name() : s.name() + " (" + (n - kept) + " of " + n + " points not drawn)";
            drawn.add(new Drawn(s.name(), legend, java.util.Arrays.copyOf(kx, kept), java.util.Arrays.copyOf(ky, kept)));
        }
        return new PlotData(drawn, notes);
    }

    private static String count(int k, int n) {
        return k == 1 ? "1 of " + n + " points is" : k + " of " + n + " points are";
    }
}

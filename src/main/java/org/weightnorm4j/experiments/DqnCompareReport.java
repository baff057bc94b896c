package org.weightnorm4j.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.report.ChartSpec;
import org.weightnorm4j.report.Report;
import org.weightnorm4j.report.Section;
import org.weightnorm4j.report.Series;
import org.weightnorm4j.report.Table;
import org.weightnorm4j.rl.MinAtar;

/**
 * The report of {@code weightnorm dqn compare} (and {@code dqn report}): per game, the learning
 * curves (100-episode moving average of the return against frames, the seeds' mean with their
 * minimum and maximum, and MinAtar's published DQN curve), the effective step {@code g/‖v‖} of each
 * weight-normed layer over the run (§2.1: it should fall as {@code ‖v‖} grows under noisy
 * gradients), and a table of our returns beside MinAtar's published DQN returns and the paper's
 * Atari table, with their sources.
 */
public final class DqnCompareReport {
    /** Points per learning curve (the moving average is evaluated on an even grid of frames). */
    static final int CURVE_POINTS = 200;
    static final int MOVING_AVERAGE = 100;

    private DqnCompareReport() {
    }

    /** Writes the report of {@code runs} into {@code dir}; returns the page. */
    public static Path write(List<DqnRunRecord> runs, List<String> command, Path dir) throws IOException {
        return build(runs, command).writeTo(dir);
    }

    /** The runs of one game and parameterization (one per seed). */
    record Group(String game, String param, List<DqnRunRecord> runs) {
        long minFrames() {
            return runs.stream().mapToLong(DqnRunRecord::frames).min().orElse(0);
        }

        String seeds() {
            return String.join(",", runs.stream().map(r -> Long.toString(r.seed())).toList());
        }
    }

    static Report build(List<DqnRunRecord> runs, List<String> command) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no DQN runs to report on (no directory with summary.json and metrics.csv)");
        }
        Map<String, List<Group>> byGame = group(runs);
        Section.Builder curves = Section.builder("Learning curves");
        Section.Builder scales = Section.builder("Effective step g/‖v‖ per weight-normed layer");
        boolean anyWn = false;
        for (Map.Entry<String, List<Group>> e : byGame.entrySet()) {
            curves.chart(learningCurve(e.getKey(), e.getValue()), "100-episode moving average of the return (the mean of"
                    + " the last 100 finished episodes at each frame), " + spreadWords(e.getValue()) + " MinAtar's DQN"
                    + " (read off its figure, approximate) where our runs reach 250,000 frames.");
            ChartSpec scale = scaleChart(e.getKey(), e.getValue());
            if (scale != null) {
                anyWn = true;
                scales.chart(scale, "g/‖v‖ (mean over the layer's output units) from training.csv, every window of frames;"
                        + " the mean over seeds. Layers are module indices of the network: for wn, 0 is the 3×3"
                        + " convolution, 3 the dense layer of 128, 5 the output layer. Log scale.");
            }
        }
        if (!anyWn) {
            scales.paragraph("No run with a weight-normed parameterization.");
        }
        scales.table(scaleTable(byGame));
        Section numbers = Section.builder("Returns beside the published ones").table(returnsTable(byGame))
                .table(atariTable(byGame)).build();
        Section how = Section.builder("Settings and sources")
                .paragraph("Each run lives in DIR/GAME-PARAM-sSEED (metrics.csv, training.csv, summary.json,"
                        + " dqn-checkpoint.bin); rerunning the same 'weightnorm dqn compare' command skips finished runs and"
                        + " resumes interrupted ones bit-identically. The table's numbers are as of each run's last"
                        + " checkpoint (summary.json); the curves use every episode written so far.")
                .paragraph("Runs: " + describeRuns(runs))
                .paragraph("MinAtar: " + DqnPublished.MINATAR_SOURCE)
                .paragraph("Atari: " + DqnPublished.PAPER_SOURCE)
                .build();
        return Report.builder("dqn compare: " + String.join(", ", byGame.keySet()) + " — " + runs.size() + " run(s)")
                .conclusions(conclusions(byGame))
                .section(curves.build()).section(scales.build()).section(numbers).section(how)
                .command(command)
                .build();
    }

    /** Game (MinAtar's order) → groups (normal, wn, wn-mobn order), each with its seeds in order. */
    static Map<String, List<Group>> group(List<DqnRunRecord> runs) {
        Map<String, List<Group>> out = new LinkedHashMap<>();
        List<String> games = new ArrayList<>(MinAtar.GAMES);
        runs.stream().map(DqnRunRecord::game).filter(g -> !games.contains(g)).distinct().forEach(games::add);
        for (String g : games) {
            Map<String, Group> groups = new LinkedHashMap<>();
            for (DqnRunRecord r : runs) {
                if (r.game().equals(g)) {
                    groups.computeIfAbsent(label(r), k -> new Group(g, k, new ArrayList<>())).runs().add(r);
                }
            }
            for (Group gr : groups.values()) {
                gr.runs().sort((a, b) -> Long.compare(a.seed(), b.seed()));
            }
            if (!groups.isEmpty()) {
                List<Group> sorted = new ArrayList<>(groups.values());
                sorted.sort((a, b) -> a.param().equals(b.param()) ? 0 : paramOrder(a.param()) != paramOrder(b.param())
                        ? Integer.compare(paramOrder(a.param()), paramOrder(b.param())) : a.param().compareTo(b.param()));
                out.put(g, sorted);
            }
        }
        return out;
    }

    private static int paramOrder(String label) {
        try {
            return Parameterization.parse(label.split(" ")[0]).ordinal();
        } catch (IllegalArgumentException e) {
            return 99;
        }
    }

    /** The parameterization, with the optimizer when it is not MinAtar's RMSprop. */
    private static String label(DqnRunRecord r) {
        return r.optimizer().equals("rmsprop") ? r.param() : r.param() + " (" + r.optimizer() + ")";
    }

    private static String spreadWords(List<Group> groups) {
        boolean several = groups.stream().anyMatch(g -> g.runs().size() > 1);
        if (!several) {
            return "one seed per line (its seed in the legend);";
        }
        List<String> seeds = new ArrayList<>();
        for (Group g : groups) {
            seeds.add(g.param() + ": seeds " + g.seeds());
        }
        return "the mean over seeds with the seeds' minimum and maximum at each frame (" + String.join("; ", seeds) + ");";
    }

    static ChartSpec learningCurve(String game, List<Group> groups) {
        ChartSpec.Builder c = ChartSpec.builder(game + ": return, 100-episode moving average").xLabel("frames (millions)")
                .yLabel("return (mean of the last 100 episodes)");
        long maxFrames = 0;
        for (Group g : groups) {
            long end = g.runs().stream().mapToLong(DqnRunRecord::lastFrame).min().orElse(0);
            maxFrames = Math.max(maxFrames, end);
            long step = Math.max(1, end / CURVE_POINTS);
            int n = (int) (end / step);
            long[] at = new long[n];
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                at[i] = (i + 1) * step;
                x[i] = at[i] / 1e6;
            }
            double[][] perSeed = new double[g.runs().size()][];
            for (int s = 0; s < perSeed.length; s++) {
                perSeed[s] = g.runs().get(s).movingAverage(at, MOVING_AVERAGE);
            }
            if (perSeed.length == 1) {
                c.series(new Series(g.param() + " (seed " + g.seeds() + ")", x, perSeed[0]));
            } else {
                double[][] stats = meanMinMax(perSeed);
                c.series(new Series(g.param() + " mean", x, stats[0]));
                c.series(new Series(g.param() + " min", x, stats[1]));
                c.series(new Series(g.param() + " max", x, stats[2]));
            }
        }
        List<Double> px = new ArrayList<>();
        List<Double> py = new ArrayList<>();
        double[] published = DqnPublished.MINATAR_DQN.get(game);
        for (int i = 0; published != null && i < published.length; i++) {
            if (DqnPublished.MINATAR_FRAMES_M[i] * 1e6 <= maxFrames * 1.0001) {
                px.add(DqnPublished.MINATAR_FRAMES_M[i]);
                py.add(published[i]);
            }
        }
        int lines = 0;
        for (Group g : groups) {
            lines += g.runs().size() > 1 ? 3 : 1;
        }
        if (!px.isEmpty()) {
            c.series(new Series("MinAtar DQN (published, approx.)", px.stream().mapToDouble(Double::doubleValue).toArray(),
                    py.stream().mapToDouble(Double::doubleValue).toArray()));
            lines++;
        }
        if (lines > 4) {
            c.size(1100, ChartSpec.DEFAULT_HEIGHT);   // room for the legend's row
        }
        return c.build();
    }

    /** Column-wise mean, min and max over the rows (NaN where any row is NaN). */
    static double[][] meanMinMax(double[][] rows) {
        int n = rows[0].length;
        double[][] out = new double[3][n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] r : rows) {
                sum += r[i];
                min = Math.min(min, r[i]);
                max = Math.max(max, r[i]);
            }
            boolean nan = Double.isNaN(sum);
            out[0][i] = sum / rows.length;
            out[1][i] = nan ? Double.NaN : min;
            out[2][i] = nan ? Double.NaN : max;
        }
        return out;
    }

    /** The mean over seeds of a training.csv column, at the frames every seed has; null if no seed has it. */
    static Series columnMean(String name, Group g, String column) {
        Map<Long, double[]> sums = new TreeMap<>();
        for (DqnRunRecord r : g.runs()) {
            double[] v = r.windowColumns().get(column);
            if (v == null) {
                return null;
            }
            for (int i = 0; i < v.length; i++) {
                double[] s = sums.computeIfAbsent(r.windowFrames()[i], k -> new double[2]);
                s[0] += v[i];
                s[1]++;
            }
        }
        List<double[]> points = new ArrayList<>();
        sums.forEach((f, s) -> {
            if (s[1] == g.runs().size()) {
                points.add(new double[] {f / 1e6, s[0] / s[1]});
            }
        });
        if (points.isEmpty()) {
            return null;
        }
        return new Series(name, points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
    }

    static ChartSpec scaleChart(String game, List<Group> groups) {
        ChartSpec.Builder c = ChartSpec.builder(game + ": g/‖v‖ per weight-normed layer").xLabel("frames (millions)")
                .yLabel("g/‖v‖ (mean over units)").logY();
        boolean any = false;
        for (Group g : groups) {
            for (String layer : g.runs().get(0).weightNormedLayers()) {
                Series s = columnMean(g.param() + " layer " + layer, g, layer + "_g_over_v_norm");
                if (s != null) {
                    c.series(s);
                    any = true;
                }
            }
        }
        return any ? c.build() : null;
    }

    static Table scaleTable(Map<String, List<Group>> byGame) {
        Table.Builder t = Table.builder("game", "param", "layer", "frames", "‖v‖ first", "‖v‖ last", "g/‖v‖ first",
                "g/‖v‖ last", "g/‖v‖ last ÷ first");
        t.caption("First and last training.csv rows (the first window after learning starts and the last one written), mean"
                + " over seeds.");
        for (List<Group> groups : byGame.values()) {
            for (Group g : groups) {
                for (String layer : g.runs().get(0).weightNormedLayers()) {
                    Series v = columnMean("v", g, layer + "_v_norm");
                    Series s = columnMean("s", g, layer + "_g_over_v_norm");
                    if (v == null || s == null || s.size() == 0) {
                        continue;
                    }
                    double[] vy = v.y();
                    double[] sy = s.y();
                    double[] sx = s.x();
                    t.row(g.game(), g.param(), layer, Math.round(sx[sx.length - 1] * 1e6), vy[0], vy[vy.length - 1], sy[0],
                            sy[sy.length - 1], sy[sy.length - 1] / sy[0]);
                }
            }
        }
        return t.build();
    }

    static Table returnsTable(Map<String, List<Group>> byGame) {
        Table.Builder t = Table.builder("game", "param", "seeds", "frames", "return, last 100 episodes (mean over seeds)",
                "min – max over seeds", "best episode", "MinAtar DQN at these frames (≈)", "MinAtar DQN at 5M frames (≈)");
        t.caption("Ours: summary.json of each run (its last checkpoint); frames is the fewest any seed has reached."
                + " MinAtar: its DQN curve (mean of 30 seeds, centred RMSprop, the same network and recipe), read off its"
                + " figure and interpolated, so approximate; — below 250,000 frames, where it was not read. Sources under"
                + " 'Settings and sources'.");
        for (List<Group> groups : byGame.values()) {
            for (Group g : groups) {
                double sum = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                double best = Double.NaN;
                for (DqnRunRecord r : g.runs()) {
                    sum += r.returnLast100();
                    min = Math.min(min, r.returnLast100());
                    max = Math.max(max, r.returnLast100());
                    best = Double.isNaN(best) ? r.returnMax() : Math.max(best, r.returnMax());
                }
                double mean = sum / g.runs().size();
                String spread = g.runs().size() < 2 ? null
                        : String.format(Locale.ROOT, "%.2f – %.2f", min, max);
                double published = DqnPublished.minatarAt(g.game(), g.minFrames());
                t.row(g.game(), g.param(), g.seeds(), g.minFrames(), mean, spread, best,
                        Double.isNaN(published) ? null : round1(published), nullIfNaN(DqnPublished.minatarFinal(g.game())));
            }
        }
        return t.build();
    }

    static Table atariTable(Map<String, List<Group>> byGame) {
        Table.Builder t = Table.builder("Atari game (paper)", "normal", "WN", "our MinAtar game", "our normal", "our wn");
        t.caption("The paper's Atari DQN results (maximum evaluation score, Adamax, 200 epochs of full Atari) beside our"
                + " MinAtar returns (last 100 training episodes, mean over seeds): a different benchmark and scale, so only the"
                + " direction of the normal / WN difference can be compared. " + DqnPublished.PAPER_SOURCE);
        for (DqnPublished.AtariRow a : DqnPublished.PAPER_ATARI) {
            List<Group> groups = a.minatarGame() == null ? null : byGame.get(a.minatarGame());
            t.row(a.game(), a.normal(), a.weightNorm(), a.minatarGame() == null ? "(none in MinAtar)" : a.minatarGame(),
                    meanReturn(groups, "normal"), meanReturn(groups, "wn"));
        }
        return t.build();
    }

    private static Double meanReturn(List<Group> groups, String param) {
        if (groups == null) {
            return null;
        }
        for (Group g : groups) {
            if (g.param().equals(param)) {
                return g.runs().stream().mapToDouble(DqnRunRecord::returnLast100).average().orElse(Double.NaN);
            }
        }
        return null;
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /**
     * Plain words: per game, normal against wn at the frames both have reached (the moving average
     * there), and how g/‖v‖ moved in the weight-normed layers.
     */
    static String conclusions(Map<String, List<Group>> byGame) {
        List<String> paragraphs = new ArrayList<>();
        for (Map.Entry<String, List<Group>> e : byGame.entrySet()) {
            List<Group> groups = e.getValue();
            long common = groups.stream().mapToLong(Group::minFrames).min().orElse(0);
            StringBuilder s = new StringBuilder(e.getKey()).append(": ");
            List<String> parts = new ArrayList<>();
            double normal = Double.NaN;
            double wn = Double.NaN;
            for (Group g : groups) {
                double[] per = new double[g.runs().size()];
                for (int i = 0; i < per.length; i++) {
                    per[i] = g.runs().get(i).movingAverage(new long[] {common}, MOVING_AVERAGE)[0];
                }
                double mean = java.util.Arrays.stream(per).average().orElse(Double.NaN);
                if (g.param().equals("normal")) {
                    normal = mean;
                }
                if (g.param().equals("wn")) {
                    wn = mean;
                }
                parts.add(String.format(Locale.ROOT, "%s %.2f", g.param(), mean));
            }
            s.append(String.format(Locale.ROOT, "at %,d frames (reached by every run of this game), 100-episode mean return ",
                    common)).append(String.join(", ", parts));
            int seeds = groups.stream().mapToInt(g -> g.runs().size()).min().orElse(1);
            if (!Double.isNaN(normal) && !Double.isNaN(wn)) {
                double d = wn - normal;
                s.append(String.format(Locale.ROOT, "; wn %s normal by %.2f", d >= 0 ? "ahead of" : "behind", Math.abs(d)));
                s.append(seeds < 2 ? " (one seed each: no claim about significance)" : " (mean of " + seeds + " seeds)");
            }
            double published = DqnPublished.minatarAt(e.getKey(), common);
            if (!Double.isNaN(published)) {
                s.append(String.format(Locale.ROOT, ". MinAtar's published DQN is at about %.1f there", published));
            }
            s.append('.');
            paragraphs.add(s.toString());
        }
        paragraphs.add("The paper (§5.4) found weight normalization at least as good as the standard parameterization on"
                + " Atari DQN; compare the direction of each difference above with the Atari table, not the magnitudes.");
        return String.join("\n\n", paragraphs);
    }

    private static String describeRuns(List<DqnRunRecord> runs) {
        List<String> parts = new ArrayList<>();
        for (DqnRunRecord r : runs) {
            parts.add(String.format(Locale.ROOT, "%s (%s, %,d frames)", r.dir().getFileName(), r.optimizer(), r.frames()));
        }
        return String.join("; ", parts) + ".";
    }
}

package org.weightnorm4j.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.report.ChartSpec;
import org.weightnorm4j.report.Report;
import org.weightnorm4j.report.Section;
import org.weightnorm4j.report.Series;
import org.weightnorm4j.report.Table;

/** The report of {@code weightnorm lr-sweep}: final loss and accuracy versus learning rate, divergences marked. */
public final class LrSweepReport {
    private LrSweepReport() {
    }

    /** Writes the report directory {@code dir} and returns the path of its {@code report.html}. */
    public static Path write(LrSweepResult r, List<String> command, Path dir) throws IOException {
        return build(r, command).writeTo(dir);
    }

    static Report build(LrSweepResult r, List<String> command) {
        ChartSpec.Builder loss = ChartSpec.builder("Final training loss vs learning rate").xLabel("learning rate").logX()
                .yLabel("mean training loss, last epoch").logY().size(1000, 520);
        ChartSpec.Builder acc = ChartSpec.builder("Final test accuracy vs learning rate").xLabel("learning rate").logX()
                .yLabel("test accuracy (%)").size(1000, 520);
        Table.Builder t = Table.builder("parameterization", "learning rate", "status", "final train loss",
                "final train accuracy %", "final test loss", "final test accuracy %");
        t.caption(String.format(Locale.ROOT, "A diverged run stopped at a non-finite loss or gradient (the trainer's guard);"
                + " its final values are empty and its points are missing from the charts. A run that blew up ended with a"
                + " training loss above twice the chance level, 2 ln K = %.3f.", r.blowUpLoss()));
        for (Parameterization p : r.settings().params()) {
            List<LrSweep.Point> pts = r.of(p);
            double[] x = new double[pts.size()];
            double[] l = new double[pts.size()];
            double[] a = new double[pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                LrSweep.Point pt = pts.get(i);
                x[i] = pt.lr();
                l[i] = r.failed(pt) ? Double.NaN : pt.trainLoss();    // a blown-up 1e30 would flatten every other curve
                a[i] = 100 * pt.testAccuracy();
                t.row(p.cliName(), pt.lr(), r.status(pt),
                        pt.diverged() ? null : pt.trainLoss(), pt.diverged() ? null : 100 * pt.trainAccuracy(),
                        pt.diverged() ? null : pt.testLoss(), pt.diverged() ? null : 100 * pt.testAccuracy());
            }
            loss.series(new Series(p.cliName(), x, l));
            acc.series(new Series(p.cliName(), x, a));
        }
        return Report.builder("lr-sweep: " + r.workload().modelName() + " on " + r.workload().datasetName())
                .conclusions(conclusions(r))
                .section(Section.builder("Final numbers vs learning rate")
                        .chart(loss.build(), "Log-log. Missing points: runs that failed (diverged, or blew up above 2 ln K;"
                                + " their numbers are in the table).")
                        .chart(acc.build(), "Test accuracy after the last epoch; missing points: diverged runs.")
                        .table(t.build())
                        .build())
                .section(Section.builder("Settings")
                        .paragraph("Model and data: " + r.workload().describe() + ".")
                        .paragraph("Recipe, the same for every run but the learning rate: " + r.settings().train().describe()
                                + ". Learning rates: " + r.settings().lrs() + String.format(Locale.ROOT, " (%.1f decades).",
                                r.settings().decades()))
                        .build())
                .command(command)
                .build();
    }

    /** Per parameterization, where it failed (diverged, or blew up), in plain words. */
    static String conclusions(LrSweepResult r) {
        List<String> parts = new ArrayList<>();
        for (Parameterization p : r.settings().params()) {
            OptionalDouble bad = r.smallestFailing(p);
            OptionalDouble ok = r.largestStable(p);
            String how = bad.isEmpty() ? "" : r.of(p).stream().filter(x -> x.lr() == bad.getAsDouble()).findFirst()
                    .map(x -> x.diverged() ? "diverged" : String.format(Locale.ROOT, "ended with training loss %.3g", x.trainLoss()))
                    .orElse("");
            if (bad.isEmpty()) {
                parts.add(String.format(Locale.ROOT, "%s trained at every learning rate of the grid, up to %s.",
                        p.cliName(), ok.getAsDouble()));
            } else if (ok.isEmpty()) {
                parts.add(String.format(Locale.ROOT, "%s failed at every learning rate (at %s it %s).", p.cliName(),
                        bad.getAsDouble(), how));
            } else {
                parts.add(String.format(Locale.ROOT, "%s failed first at learning rate %s (it %s); the largest rate it trained"
                        + " at was %s.", p.cliName(), bad.getAsDouble(), how, ok.getAsDouble()));
            }
        }
        OptionalDouble normal = r.settings().params().contains(Parameterization.NORMAL)
                ? r.smallestFailing(Parameterization.NORMAL) : OptionalDouble.empty();
        if (normal.isPresent()) {
            for (Parameterization p : List.of(Parameterization.WN, Parameterization.WN_MOBN)) {
                if (r.settings().params().contains(p)) {
                    boolean stable = r.of(p).stream().noneMatch(x -> r.failed(x) && x.lr() <= normal.getAsDouble());
                    parts.add(String.format(Locale.ROOT, "At %s, where normal failed, %s %s.", normal.getAsDouble(),
                            p.cliName(), stable ? "still trained" : "failed too (or earlier)"));
                }
            }
        } else if (r.settings().params().contains(Parameterization.NORMAL)) {
            parts.add("normal trained at every rate of this grid; extend --lrs upwards to find where it fails.");
        }
        parts.add(String.format(Locale.ROOT, "(Failed: diverged to NaN/Inf, or blew up to a final training loss above twice"
                + " the chance level, 2 ln %d = %.3f.)", r.workload().data().train().classes(), r.blowUpLoss()));
        return String.join(" ", parts);
    }
}

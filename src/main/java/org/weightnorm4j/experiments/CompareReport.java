package org.weightnorm4j.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.weightnorm4j.report.ChartSpec;
import org.weightnorm4j.report.Report;
import org.weightnorm4j.report.Section;
import org.weightnorm4j.report.Series;
import org.weightnorm4j.report.Table;

/**
 * The report of {@code weightnorm compare}: training loss and test error per epoch for every
 * parameterization, the final numbers with throughput, the first epoch each run reached a training
 * loss target (the paper's claim that weight normalization converges faster, measured here), and
 * the paper's CIFAR-10 numbers for reference.
 */
public final class CompareReport {
    private CompareReport() {
    }

    /** Writes the report directory {@code dir} and returns the path of its {@code report.html}. */
    public static Path write(CompareResult r, List<String> command, Path dir) throws IOException {
        return build(r, command).writeTo(dir);
    }

    static Report build(CompareResult r, List<String> command) {
        ChartSpec.Builder loss = ChartSpec.builder("Training loss per epoch").xLabel("epoch")
                .yLabel("training loss (cross-entropy)").logY();
        ChartSpec.Builder error = ChartSpec.builder("Test error per epoch").xLabel("epoch").yLabel("test error (%)");
        for (int k = 0; k < r.outcomes().size(); k++) {
            RunOutcome o = r.outcomes().get(k);
            int n = o.epochs().size();
            double[] x = new double[n];
            double[] e = new double[n];
            for (int i = 0; i < n; i++) {
                EpochHistory.Point p = o.epochs().get(i);
                x[i] = p.epoch();
                e[i] = p.testErrorPercent();
            }
            int m = o.segments().size();
            double[] sx = new double[m];
            double[] sl = new double[m];
            for (int i = 0; i < m; i++) {
                sx[i] = o.segments().get(i).epoch();
                sl[i] = o.segments().get(i).meanLoss();
            }
            loss.series(new Series(r.label(k), sx, sl));
            error.series(new Series(r.label(k), x, e));
        }
        Table.Builder finals = Table.builder("parameterization", "status", "epochs", "final train loss",
                "final train accuracy %", "final test loss", "final test error %", "images/s", "epochs to loss target");
        finals.caption("After the last completed epoch. Images/s: training steps only, on this machine at the time of"
                + " the run (other load on the machine lowers it).");
        for (int k = 0; k < r.outcomes().size(); k++) {
            RunOutcome o = r.outcomes().get(k);
            EpochHistory.Point last = o.last();
            finals.row(r.label(k), status(o), o.epochs().size(),
                    last == null ? null : last.trainLoss(), last == null ? null : 100 * last.trainAccuracy(),
                    last == null ? null : last.testLoss(), last == null ? null : last.testErrorPercent(),
                    Math.round(o.imagesPerSecond()), toTarget(o, r.lossTarget()));
        }
        Table.Builder paper = Table.builder("parameterization", "paper's label", "paper's CIFAR-10 test error %",
                "our final test error %");
        paper.caption("For reference only: " + PaperResults.SOURCE + ". Our numbers come from the run above ("
                + r.workload().describe() + "), a different model, dataset and length.");
        for (PaperResults.Row row : PaperResults.CIFAR10) {
            RunOutcome o = find(r, row.param());
            paper.row(row.param(), row.label(), row.testErrorPercent(),
                    o == null || o.last() == null ? null : o.last().testErrorPercent());
        }
        Section curves = Section.builder("Curves")
                .chart(loss.build(), "Mean minibatch training loss (training mode) over each tenth of an epoch, log scale.")
                .chart(error.build(), "Test error after each epoch (evaluation mode).")
                .build();
        Section.Builder numbersBuilder = Section.builder("Final numbers").table(finals.build());
        if (r.settings().multiSeed()) {
            numbersBuilder.table(spreadTable(r));
        }
        Section numbers = numbersBuilder.paragraph(convergence(r)).build();
        Section reference = Section.builder("The paper's numbers").table(paper.build()).build();
        Section how = Section.builder("Settings")
                .paragraph("Model and data: " + r.workload().describe() + ".")
                .paragraph("Recipe, the same for every run: " + r.settings().train().describe() + ".")
                .paragraph("Each run lives in its own subdirectory (checkpoint, metrics.csv, epochs.json); rerunning the"
                        + " same command skips finished runs and resumes unfinished ones.")
                .build();
        return Report.builder("compare: " + r.workload().modelName() + " on " + r.workload().datasetName() + ", "
                        + r.settings().params().size() + " parameterizations"
                        + (r.settings().multiSeed() ? " x " + r.settings().seeds().size() + " seeds" : ""))
                .conclusions(conclusions(r))
                .section(curves).section(numbers).section(reference).section(how)
                .command(command)
                .build();
    }

    /** Mean ± sample standard deviation (min–max) over the seeds, per parameterization. */
    static Table spreadTable(CompareResult r) {
        Table.Builder t = Table.builder("parameterization", "seeds", "diverged", "final train loss", "final test error %");
        t.caption("Over the seeds " + r.settings().seeds() + ": mean ± sample standard deviation (minimum–maximum) of the"
                + " runs that did not diverge.");
        for (CompareResult.Spread s : r.spreads()) {
            t.row(s.param().cliName(), s.runs(), s.diverged(), s.trainLoss().describe("%.4f"), s.testError().describe("%.2f"));
        }
        return t.build();
    }

    private static String status(RunOutcome o) {
        return (o.diverged() ? "diverged" : "finished") + (o.reused() ? " (earlier run)" : "");
    }

    private static Object toTarget(RunOutcome o, double target) {
        if (!Double.isFinite(target)) {
            return null;
        }
        OptionalDouble e = o.firstReached(target);
        return e.isPresent() ? (Object) e.getAsDouble() : "not reached";
    }

    private static RunOutcome find(CompareResult r, String param) {
        for (RunOutcome o : r.outcomes()) {
            if (o.param().cliName().equals(param)) {
                return o;
            }
        }
        return null;
    }

    /** The convergence paragraph: first epoch at or below the target, per run. */
    static String convergence(CompareResult r) {
        if (!Double.isFinite(r.lossTarget())) {
            return "No run completed an epoch without diverging, so no convergence speed can be compared.";
        }
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < r.outcomes().size(); k++) {
            RunOutcome o = r.outcomes().get(k);
            OptionalDouble e = o.firstReached(r.lossTarget());
            parts.add(r.label(k) + (e.isPresent() ? String.format(Locale.ROOT, " after %.1f epochs", e.getAsDouble())
                    : " not within " + o.epochs().size() + " epoch(s)" + (o.diverged() ? " (diverged)" : "")));
        }
        String how = r.targetGiven() ? "the given target" : "the lowest loss every non-diverged run reached";
        return String.format(Locale.ROOT, "Training loss target %.4g (%s; loss averaged over tenths of an epoch) was first"
                + " reached by: %s.", r.lossTarget(), how, String.join(", ", parts));
    }

    /** Plain-words conclusions with the measured numbers. */
    static String conclusions(CompareResult r) {
        StringBuilder s = new StringBuilder();
        RunOutcome best = null;
        for (RunOutcome o : r.outcomes()) {
            if (o.last() != null && !o.diverged() && (best == null || o.last().testErrorPercent() < best.last().testErrorPercent())) {
                best = o;
            }
        }
        if (best != null) {
            s.append(String.format(Locale.ROOT, "Lowest final test error: %s, %.2f%% after %d epoch(s).",
                    best.param().cliName(), best.last().testErrorPercent(), best.epochs().size()));
        }
        for (RunOutcome o : r.outcomes()) {
            if (o.diverged()) {
                s.append(" ").append(o.param().cliName()).append(" diverged (non-finite loss or gradient)");
                s.append(o.epochs().isEmpty() ? " in its first epoch." : " after " + o.epochs().size() + " epoch(s).");
            }
        }
        s.append("\n\n").append(convergence(r));
        RunOutcome normal = find(r, "normal");
        if (normal != null && Double.isFinite(r.lossTarget())) {
            OptionalDouble n = normal.firstReached(r.lossTarget());
            List<String> claims = new ArrayList<>();
            for (String wn : List.of("wn", "wn-mobn")) {
                RunOutcome o = find(r, wn);
                if (o == null) {
                    continue;
                }
                OptionalDouble e = o.firstReached(r.lossTarget());
                String verdict;
                if (e.isEmpty()) {
                    verdict = "did not reach it";
                } else if (n.isEmpty()) {
                    verdict = "reached it and normal did not";
                } else if (e.getAsDouble() < n.getAsDouble()) {
                    verdict = String.format(Locale.ROOT, "reached it sooner than normal (%.1f vs %.1f epochs)",
                            e.getAsDouble(), n.getAsDouble());
                } else if (e.getAsDouble() == n.getAsDouble()) {
                    verdict = String.format(Locale.ROOT, "reached it at the same time as normal (%.1f epochs; a tenth of an"
                            + " epoch is the resolution here)", e.getAsDouble());
                } else {
                    verdict = String.format(Locale.ROOT, "needed longer than normal (%.1f vs %.1f epochs)",
                            e.getAsDouble(), n.getAsDouble());
                }
                claims.add(wn + " " + verdict);
            }
            if (!claims.isEmpty()) {
                s.append(" The paper's claim (weight normalization converges faster): ").append(String.join("; ", claims))
                        .append(".");
            }
        }
        s.append("\n\nThe paper's CIFAR-10 numbers are shown below for reference; they come from a much longer run of"
                + " a larger model on other data and are not expected to match ours.");
        return s.toString();
    }
}

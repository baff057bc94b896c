package org.weightnorm4j.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.weightnorm4j.norm.Parameterization;

/**
 * What {@code weightnorm compare} measured.
 *
 * @param workload   the model and data
 * @param settings   the recipe shared by every run
 * @param outcomes   one per parameterization and seed, parameterization-major, in the order asked
 *                   ({@link CompareExperiment#runs})
 * @param lossTarget the training loss whose first crossing is compared (given, or chosen by {@link #autoTarget})
 * @param targetGiven whether the user gave the target
 */
public record CompareResult(Workload workload, CompareExperiment.Settings settings, List<RunOutcome> outcomes,
                            double lossTarget, boolean targetGiven) {

    public CompareResult {
        outcomes = List.copyOf(outcomes);
    }

    /**
     * The target used when none is given: the highest of the runs' best training losses (segment
     * means, see {@link RunOutcome#bestTrainLoss}), i.e. the lowest loss that every run which did not
     * diverge reached. When each run reached it can then always be compared. NaN when no run
     * completed a segment.
     */
    public static double autoTarget(List<RunOutcome> outcomes) {
        double target = Double.NaN;
        for (RunOutcome o : outcomes) {
            double best = o.bestTrainLoss();
            if (!o.diverged() && Double.isFinite(best) && !(best <= target)) {
                target = best;
            }
        }
        return target;
    }

    /** The seed of outcome {@code i} (outcomes are parameterization-major, seeds in the order given). */
    public long seedOf(int i) {
        return settings.seeds().get(i % settings.seeds().size());
    }

    /** Outcome {@code i}'s name in tables and charts: {@code wn}, or {@code wn s2} when several seeds are compared. */
    public String label(int i) {
        String p = outcomes.get(i).param().cliName();
        return settings.multiSeed() ? p + " s" + seedOf(i) : p;
    }

    /**
     * A parameterization's final numbers over its seeds: mean, sample standard deviation (0 for one
     * seed), minimum and maximum, over the runs that completed an epoch without diverging.
     *
     * @param runs     seeds whose run completed an epoch without diverging
     * @param diverged seeds whose run diverged
     */
    public record Spread(Parameterization param, int runs, int diverged, Stat trainLoss, Stat testError) {
    }

    /** Mean, sample standard deviation, minimum and maximum of some values (NaN when there are none). */
    public record Stat(double mean, double std, double min, double max) {
        static Stat of(List<Double> xs) {
            if (xs.isEmpty()) {
                return new Stat(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double x : xs) {
                sum += x;
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            double mean = sum / xs.size();
            double ss = 0;
            for (double x : xs) {
                ss += (x - mean) * (x - mean);
            }
            return new Stat(mean, xs.size() > 1 ? Math.sqrt(ss / (xs.size() - 1)) : 0, min, max);
        }

        /** {@code mean ± std (min–max)}. */
        public String describe(String format) {
            if (Double.isNaN(mean)) {
                return "-";
            }
            return String.format(Locale.ROOT, format + " ± " + format + " (" + format + "–" + format + ")", mean, std, min, max);
        }
    }

    /** Each parameterization's spread over the seeds, in the order asked. */
    public List<Spread> spreads() {
        List<Spread> out = new ArrayList<>();
        for (Parameterization p : settings.params()) {
            List<RunOutcome> ok = new ArrayList<>();
            int diverged = 0;
            for (RunOutcome o : outcomes) {
                if (o.param() == p) {
                    if (o.diverged()) {
                        diverged++;
                    } else if (o.last() != null) {
                        ok.add(o);
                    }
                }
            }
            out.add(new Spread(p, ok.size(), diverged, stat(ok, x -> x.last().trainLoss()),
                    stat(ok, x -> x.last().testErrorPercent())));
        }
        return out;
    }

    private static Stat stat(List<RunOutcome> runs, ToDoubleFunction<RunOutcome> f) {
        return Stat.of(runs.stream().map(f::applyAsDouble).toList());
    }
}

package org.weightnorm4j.experiments;

import java.util.List;

/**
 * What {@code weightnorm noise} measured.
 *
 * @param workload      the model and data
 * @param settings      the experiment's settings
 * @param runs          one per batch size, in the order given
 * @param labelsChanged how many training labels label noise replaced
 */
public record NoiseResult(Workload workload, NoiseExperiment.Settings settings, List<NoiseExperiment.BatchRun> runs,
                          int labelsChanged) {

    public NoiseResult {
        runs = List.copyOf(runs);
    }

    /** The largest relative deviation from the norm-growth identity over every run, layer and step. */
    public double maxDeviation() {
        double m = 0;
        for (NoiseExperiment.BatchRun r : runs) {
            for (NormGrowthProbe.Layer l : r.layers()) {
                m = Math.max(m, l.maxDeviation());
            }
        }
        return m;
    }

    /** Layers per run (the same model throughout). */
    public int layerCount() {
        return runs.isEmpty() ? 0 : runs.get(0).layers().size();
    }

    /**
     * Whether, for layer {@code layer}, {@code ||v||} grew strictly more at every smaller batch size
     * than at every larger one (the paper's claim: more gradient noise, more growth).
     */
    public boolean growthDecreasesWithBatch(int layer) {
        return decreasesWithBatch(layer, 0);
    }

    /** As {@link #growthDecreasesWithBatch}, for the growth after step {@code from} ({@link NormGrowthProbe.Layer#growthFactorAfter}). */
    public boolean growthAfterDecreasesWithBatch(int layer, int from) {
        return decreasesWithBatch(layer, from);
    }

    private boolean decreasesWithBatch(int layer, int from) {
        List<NoiseExperiment.BatchRun> sorted = runs.stream()
                .sorted((a, b) -> Integer.compare(a.batch(), b.batch())).toList();
        for (int i = 1; i < sorted.size(); i++) {
            NormGrowthProbe.Layer small = sorted.get(i - 1).layers().get(layer);
            NormGrowthProbe.Layer large = sorted.get(i).layers().get(layer);
            double a = from == 0 ? small.growthFactor() : small.growthFactorAfter(from);
            double b = from == 0 ? large.growthFactor() : large.growthFactorAfter(from);
            if (!(a > b)) {
                return false;
            }
        }
        return true;
    }
}

package org.weightnorm4j.experiments;

import java.util.SplittableRandom;
import org.weightnorm4j.data.Dataset;

/**
 * Label noise: another source of gradient noise besides small minibatches. Each training label
 * is, with probability {@code p}, replaced by a different class drawn uniformly (seeded, so the
 * same labels are corrupted in every run of an experiment). The images are shared, not copied.
 */
public final class LabelNoise {
    private LabelNoise() {
    }

    /**
     * @param p    probability of replacing a label, in [0, 1]; 0 returns {@code data} itself
     * @param seed seeds which labels change and to what
     */
    public static Dataset apply(Dataset data, double p, long seed) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("--label-noise must be a probability in [0, 1], got " + p);
        }
        if (p == 0) {
            return data;
        }
        if (data.classes() < 2) {
            throw new IllegalArgumentException("label noise needs at least 2 classes; " + data.name() + " has " + data.classes());
        }
        SplittableRandom r = new SplittableRandom(seed);
        int[] labels = data.labels().clone();
        for (int i = 0; i < labels.length; i++) {
            if (r.nextDouble() < p) {
                int other = r.nextInt(data.classes() - 1);
                labels[i] = other >= labels[i] ? other + 1 : other;     // uniform over the other classes
            }
        }
        return new Dataset(data.name() + "+label-noise-" + p, data.images(), labels, data.classNames());
    }

    /** How many labels differ between two datasets of the same size. */
    public static int changed(Dataset a, Dataset b) {
        int n = 0;
        for (int i = 0; i < a.size(); i++) {
            if (a.labels()[i] != b.labels()[i]) {
                n++;
            }
        }
        return n;
    }
}

package org.weightnorm4j.train;

/**
 * When a finite but runaway loss stops training (docs/RELIABILITY.md, "Runaway runs"): after the
 * first {@link #startSteps} steps (default 1), whose mean loss is the run's starting loss L0, training stops
 * at the {@link #patience}-th consecutive step whose loss is above
 * {@code max(factor × L0, 2 ln K)} (K classes; the second term only for a classification
 * objective). A classifier that guesses uniformly has loss ln K, so a loss above twice that for
 * many steps is confidently wrong, not learning; a loss that grew {@code factor}-fold over its
 * start is exploding. Normal runs spike for a step or two, not for {@code patience} in a row.
 *
 * <p>On by default for softmax cross-entropy only: other objectives (RL returns, reconstruction
 * losses) have no chance level and their loss may rightly grow (a return-weighted loss rises as
 * returns do), so they get {@link #OFF} unless a rule is set explicitly.
 *
 * @param enabled    false: only non-finite values stop training
 * @param factor     the growth over the starting loss that counts as runaway (&gt; 1)
 * @param patience   consecutive steps above the threshold before stopping (&ge; 1)
 * @param startSteps steps whose mean loss is the starting loss (&ge; 1)
 */
public record DivergenceRule(boolean enabled, double factor, int patience, int startSteps) {
    /**
     * Four times the first step's loss (the loss before any update: a reference that an explosion in
     * the first steps cannot inflate, as a mean over them would be), 20 steps in a row.
     */
    public static final DivergenceRule DEFAULT = new DivergenceRule(true, 4.0, 20, 1);
    public static final DivergenceRule OFF = new DivergenceRule(false, 4.0, 20, 1);

    public DivergenceRule {
        if (!(factor > 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("--divergence-factor must be a finite number above 1, got " + factor);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("--divergence-patience must be at least 1, got " + patience);
        }
        if (startSteps < 1) {
            throw new IllegalArgumentException("the starting loss needs at least 1 step, got " + startSteps);
        }
    }

    /** This rule with another factor and patience, on. */
    public static DivergenceRule of(double factor, int patience) {
        return new DivergenceRule(true, factor, patience, DEFAULT.startSteps);
    }

    @Override
    public String toString() {
        return enabled ? "loss above max(" + factor + " x starting loss, 2 ln K) for " + patience + " steps" : "off";
    }
}

package org.weightnorm4j.norm;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The five ways a linear layer can be parameterized and normalized, with their command-line names.
 * They are the paper's four (§5: standard, batch norm, weight norm, weight norm + mean-only batch
 * norm) plus {@code mobn}, the standard parameterization with mean-only batch norm (the paper's
 * fifth CIFAR-10 variant; the authors' released code lacks it).
 *
 * <p>As in {@code shared/bench/torch_peer.py}, a normalizing layer follows a linear layer without
 * bias: the normalizer brings its own shift.
 */
public enum Parameterization {
    /** Plain {@code w}, {@code b}. */
    NORMAL("normal", false, Normalizer.NONE),
    /** Plain {@code w} (no bias), then batch normalization. */
    BN("bn", false, Normalizer.BATCH_NORM),
    /** Weight normalization {@code w = g v/||v||} (Eq. 2), {@code b}. */
    WN("wn", true, Normalizer.NONE),
    /** Weight normalization (no bias), then mean-only batch normalization (§4): the paper's best. */
    WN_MOBN("wn-mobn", true, Normalizer.MEAN_ONLY),
    /** Plain {@code w} (no bias), then mean-only batch normalization. */
    MOBN("mobn", false, Normalizer.MEAN_ONLY);

    /** What follows the linear layer. */
    public enum Normalizer { NONE, BATCH_NORM, MEAN_ONLY }

    private final String cliName;
    private final boolean weightNorm;
    private final Normalizer normalizer;

    Parameterization(String cliName, boolean weightNorm, Normalizer normalizer) {
        this.cliName = cliName;
        this.weightNorm = weightNorm;
        this.normalizer = normalizer;
    }

    /** The name used on the command line, in specs and in logs, e.g. {@code "wn-mobn"}. */
    public String cliName() {
        return cliName;
    }

    /** Whether the linear layer's weights are {@code g, v} (Eq. 2). */
    public boolean usesWeightNorm() {
        return weightNorm;
    }

    /** The normalizing layer after the linear layer. */
    public Normalizer normalizer() {
        return normalizer;
    }

    /** Whether the linear layer has its own bias (only when no normalizer follows it). */
    public boolean linearHasBias() {
        return normalizer == Normalizer.NONE;
    }

    /** Parses a CLI name (case-insensitive); the error lists the valid names. */
    public static Parameterization parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            for (Parameterization p : values()) {
                if (p.cliName.equals(n)) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("unknown parameterization '" + name + "'; valid names: " + validNames());
    }

    /** {@code "normal, bn, wn, wn-mobn, mobn"}. */
    public static String validNames() {
        return Arrays.stream(values()).map(Parameterization::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}

package org.weightnorm4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.experiments.ListArgs;
import org.weightnorm4j.norm.Parameterization;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The grid of the {@code draw}, {@code vae} and {@code dqn} {@code compare} commands, as a picocli
 * mixin: {@code --params} × {@code --seeds}, the grid's directory {@code --out} and {@code --spark}.
 * Each command builds it with the parameterizations it takes (for the help) and its default seeds;
 * {@link #seeds} is null when the option was not given. ({@code compare} and {@code lr-sweep} have
 * their own grid, {@link ParamGridOptions}: five parameterizations and a preset.)
 */
final class GridOptions extends PerCommandMixin {
    private final String paramNames;
    private final String defaultSeeds;

    /** A command's instance: the parameterizations it takes, as the help names them, and its default seeds. */
    GridOptions(String paramNames, String defaultSeeds) {
        this.paramNames = paramNames;
        this.defaultSeeds = defaultSeeds;
    }

    @Option(names = "--params", paramLabel = "LIST", defaultValue = "normal,wn",
            description = "Parameterizations, comma-separated: {grid:params} (default: ${DEFAULT-VALUE}).")
    String params;

    @Option(names = "--seeds", paramLabel = "LIST", description = "Seeds, comma-separated (default: {grid:seeds}).")
    String seeds;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The grid's directory.")
    Path out;

    @CommandLine.Mixin
    SparkOption spark = new SparkOption();

    @Override
    Map<String, String> helpTokens() {
        return Map.of("{grid:params}", paramNames, "{grid:seeds}", defaultSeeds);
    }

    /** {@code --seeds}, else the command's default; an {@link IllegalArgumentException} names a bad one. */
    List<Long> seeds() {
        return ListArgs.longs("--seeds", seeds != null ? seeds : defaultSeeds);
    }

    /** {@code --params}; an {@link IllegalArgumentException} names a bad one. */
    List<Parameterization> params() {
        return ListArgs.params("--params", params);
    }

    /**
     * {@code --params} as the plain (false) or weight-normalized (true) runs of {@code draw} and
     * {@code vae}, which take only those two; anything else is a usage error.
     */
    List<Boolean> weightNorm(CommandLine cl) {
        List<Boolean> wn = new ArrayList<>();
        try {
            for (Parameterization p : params()) {
                if (p != Parameterization.NORMAL && p != Parameterization.WN) {
                    throw new IllegalArgumentException("--params takes normal and wn here, got '" + p + "'");
                }
                wn.add(p.usesWeightNorm());
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        return wn;
    }
}

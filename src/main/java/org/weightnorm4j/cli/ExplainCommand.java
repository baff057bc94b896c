package org.weightnorm4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.weightnorm4j.experiments.Explain;
import org.weightnorm4j.experiments.ExplainReport;
import org.weightnorm4j.experiments.ExplainResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weightnorm explain}: the derivation of Eq. 2 → Eq. 3 → Eq. 4, checked on numbers. */
@Command(name = "explain",
        mixinStandardHelpOptions = true,
        description = {
                "Walk through weight normalization on a random instance (seeded), in double precision:",
                "v, g, w (Eq. 2); ∇g L and ∇v L by Eq. 3, by the projection of Eq. 4 and by finite differences;",
                "Eq. 3 → Eq. 4 one algebra step at a time, each computed on the numbers;",
                "the properties of M_w; ∇v L · w = 0; one SGD step and the growth of ||v||.",
                "--report DIR also writes an HTML page with the steps and pictures of the projection."
        })
final class ExplainCommand implements Callable<Integer> {

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random instance (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--in", defaultValue = "4", description = "Inputs per unit, the length of v (default: ${DEFAULT-VALUE}).")
    int in;

    @Option(names = "--out", defaultValue = "3", description = "Units of the layer (default: ${DEFAULT-VALUE}).")
    int out;

    @Option(names = "--batch", defaultValue = "8", description = "Examples in the batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.5", description = "Learning rate of the SGD step (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--json", description = "Print one JSON object instead of the text walk-through.")
    boolean json;

    @Option(names = "--report", paramLabel = "DIR", description = "Also write the explain page (report.html and its"
            + " figures) into DIR.")
    Path report;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ExplainResult result = CompareCommand.Shared.usage(spec, () -> new Explain(seed, in, out, batch, lr).run());
        java.io.PrintWriter stdout = spec.commandLine().getOut();
        stdout.println(json ? result.toJson() : result.toText());
        if (report != null) {
            Path page = ExplainReport.write(result, CompareCommand.Shared.argv(spec, "explain"), report);
            // With --json, standard output stays one JSON object.
            (json ? spec.commandLine().getErr() : stdout).println("explain page: " + page.toAbsolutePath());
        }
        stdout.flush();
        return 0;
    }
}

package org.weightnorm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.weightnorm4j.experiments.DqnCompare;
import org.weightnorm4j.experiments.DqnCompareReport;
import org.weightnorm4j.experiments.DqnRunRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weightnorm dqn report DIR}: the report of {@code dqn compare} written from the run
 * directories already in DIR (any {@code DIR/NAME} holding a DQN run's summary.json and
 * metrics.csv), training nothing; runs still going are read as far as their files go.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write the DQN comparison report (learning curves, g/‖v‖, returns beside the published ones) from"
                + " the run directories in DIR, without training.")
final class DqnReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A directory of DQN run directories (e.g. a dqn compare --out).")
    Path dir;

    @Option(names = "--out", paramLabel = "REPORT_DIR", description = "Where report.html and its figures go (default: DIR).")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!java.nio.file.Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), dir + " is not a directory");
        }
        List<DqnRunRecord> runs = DqnCompare.readRuns(dir);
        if (runs.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no DQN run directories (with summary.json and"
                    + " metrics.csv) in " + dir);
        }
        List<String> argv = new ArrayList<>(CompareCommand.Shared.argv(spec, "report"));
        argv.add(1, "dqn");
        Path page = DqnCompareReport.write(runs, argv, out != null ? out : dir);
        PrintWriter o = spec.commandLine().getOut();
        o.println("read " + runs.size() + " run(s) from " + dir);
        o.println("report: " + page);
        o.flush();
        return 0;
    }
}

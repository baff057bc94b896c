package org.weightnorm4j.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * What {@code draw} and {@code vae} do with their one run: check the options, load the data, then
 * train into {@code --out}, continuing under {@code --resume}, with Ctrl-C or SIGTERM writing a
 * checkpoint ({@link RunOptions#runInterruptibly}). A subclass says how its model builds the run.
 */
abstract class GenerativeRunCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunOptions run = new RunOptions();

    @CommandLine.Mixin
    SeedOption seed = new SeedOption();

    /** The command, as its messages name it. */
    abstract String name();

    /** The options of the model that the command shares with its {@code compare}. */
    abstract GenerativeOptions common();

    /** The run of this parameterization and seed, its settings checked and its data loaded; bad options are usage errors. */
    abstract RunOptions.EpochRun prepare(CommandLine cl, boolean weightNorm, long seed) throws IOException;

    @Override
    public final Integer call() throws IOException {
        common().threads.apply(spec);
        CommandLine cl = spec.commandLine();
        run.out(cl);                                   // a missing --out is a usage error before the data loads
        return run.runInterruptibly(spec, name(), prepare(cl, run.weightNorm(cl), seed.seed));
    }
}

package org.weightnorm4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.rl.DqnCheckpoint;
import org.weightnorm4j.rl.DqnConfig;
import org.weightnorm4j.rl.DqnJob;
import org.weightnorm4j.rl.DqnTraining;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weightnorm dqn}: trains MinAtar's DQN on one game (docs/RL.md) with {@link DqnTraining}:
 * {@code metrics.csv} (one row per episode), {@code training.csv} (one row per 10,000 frames: loss,
 * mean Q, ε, and {@code ‖v‖}, {@code g}, {@code g/‖v‖} per weight-normed layer),
 * {@code summary.json}, and a checkpoint every {@code --checkpoint-every} settings.frames from which
 * {@code --resume} continues bit-identically. Subcommands: {@code compare} (a grid of runs and its
 * report) and {@code report} (the report of existing runs).
 */
@Command(name = "dqn", mixinStandardHelpOptions = true, modelTransformer = RecipeHelp.class,
        subcommands = {DqnCompareCommand.class, DqnReportCommand.class},
        description = {"Train DQN (MinAtar's baseline, or the paper's Adamax variant) on a MinAtar game.",
                "Subcommands: 'dqn compare' runs a grid of games, parameterizations and seeds and writes its report; "
                        + "'dqn report DIR' writes the report of runs already in DIR."})
public final class DqnCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--game", description = "asterix, breakout, freeway, seaquest or space_invaders (required).")
    String game;

    @Option(names = "--param", defaultValue = "normal", description = "normal, wn or wn-mobn (default: ${DEFAULT-VALUE}).")
    String param;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the game, the network and the agent's draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Output directory (required).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint.")
    boolean resume;

    @CommandLine.Mixin
    DqnSettingsOptions settings = new DqnSettingsOptions();

    @CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() {
        threads.apply(spec);
        CommandLine cl = spec.commandLine();
        if (game == null || out == null) {
            throw new CommandLine.ParameterException(cl, "dqn needs --game and --out (or a subcommand: dqn compare, dqn report)");
        }
        DqnJob job;
        try {
            DqnConfig config = settings.config(Parameterization.parse(param));
            job = new DqnJob(game, config, seed, settings.frames, settings.window, settings.checkpointEvery);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        if (resume && !DqnCheckpoint.exists(out)) {
            throw new CommandLine.ParameterException(cl, "--resume: no " + DqnCheckpoint.FILE + " in " + out);
        }
        if (!resume && DqnCheckpoint.exists(out)) {
            throw new CommandLine.ParameterException(cl, out + " already holds a DQN run: add --resume to continue it, or choose another --out");
        }
        try {
            return train(job, cl);
        } catch (IOException e) {
            throw new UncheckedIOException("dqn: " + e.getMessage() + " (run directory " + out + ")", e);
        }
    }

    /**
     * Runs (or resumes) the run in {@code out}; returns the exit code: 0 when the settings.frames are done,
     * 130 / 143 after Ctrl-C / SIGTERM, once a checkpoint at the frame reached is on disk (issue 16:
     * an interrupted run loses nothing).
     */
    private int train(DqnJob job, CommandLine cl) throws IOException {
        PrintStream err = System.err;
        try (Interrupts interrupts = Interrupts.install(cl.getErr())) {
            AtomicBoolean stop = new AtomicBoolean(); // set by the signal thread
            interrupts.target(() -> stop.set(true));
            DqnTraining.Outcome o = DqnTraining.run(job, out, resume, err::println, settings.progress.seconds(), stop::get);
            if (o.interrupted()) {
                err.printf(Locale.ROOT, "dqn: interrupted by %s at frame %d; checkpoint written. Continue with:%n  %s%n",
                        interrupts.describe(), o.frame(), RunOptions.resumeCommand(spec));
                return interrupts.exitCode();
            }
        }
        return 0;
    }
}

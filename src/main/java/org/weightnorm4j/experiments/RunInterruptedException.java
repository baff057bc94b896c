package org.weightnorm4j.experiments;

import java.nio.file.Path;

/**
 * An experiment's run was stopped by Ctrl-C or {@code kill} ({@code Trainer.requestCheckpointAndStop}):
 * the run wrote a checkpoint at its last step into {@link #runDir} and the experiment ended there;
 * running the same command again continues it (finished runs are skipped, this one resumes).
 */
public final class RunInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path runDir;
    private final long step;

    public RunInterruptedException(Path runDir, long step) {
        super("interrupted at step " + step + " of the run in " + runDir + "; its checkpoint is there");
        this.runDir = runDir;
        this.step = step;
    }

    public Path runDir() {
        return runDir;
    }

    public long step() {
        return step;
    }
}

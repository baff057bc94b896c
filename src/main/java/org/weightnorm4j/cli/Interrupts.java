package org.weightnorm4j.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C and {@code kill} lose nothing (docs/RELIABILITY.md, "Interrupts"): the first SIGINT or
 * SIGTERM asks the running trainer to finish its step and write a checkpoint there
 * ({@code Trainer.requestCheckpointAndStop}); the command then prints the {@code --resume} command
 * and exits 130 (SIGINT) or 143 (SIGTERM). A second signal exits at once.
 *
 * <p>Why {@code sun.misc.Signal} (module jdk.unsupported, exported to everyone) rather than a
 * shutdown hook: a hook runs only once the JVM has decided to exit, cannot choose the exit code,
 * and a second Ctrl-C during it is ignored; a handler keeps the JVM running until the checkpoint is
 * on disk and can exit at once on the second signal. ({@code jdk.internal.misc.Signal} is not
 * exported.) Where the platform has no such signal, or the process was started with it ignored (a
 * background job of a non-interactive shell ignores SIGINT), the JVM's default behaviour stays.
 */
final class Interrupts implements AutoCloseable {
    private final PrintWriter err;
    /** Exits the JVM at once (Runtime.halt: no shutdown hooks to wait for); tests record the call instead. */
    private final IntConsumer halt;
    private final Map<String, SignalHandler> previous = new LinkedHashMap<>();
    private volatile Runnable target;
    private volatile String received;

    Interrupts(PrintWriter err, IntConsumer halt) {
        this.err = err;
        this.halt = halt;
    }

    /** Installs the handlers for SIGINT and SIGTERM until {@link #close}. */
    static Interrupts install(PrintWriter err) {
        Interrupts in = new Interrupts(err, code -> Runtime.getRuntime().halt(code));
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                in.previous.put(name, Signal.handle(new Signal(name), s -> in.trigger(s.getName())));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // no such signal here, or it is ignored by the process's parent: keep the default
            }
        }
        return in;
    }

    /**
     * What the first signal does: usually {@code trainer::requestCheckpointAndStop}; null while
     * nothing is training (a signal then exits at once, as there is nothing to save). A signal
     * that came before a target was set reaches it as soon as it is set.
     */
    void target(Runnable r) {
        target = r;
        if (r != null && received != null) {
            r.run();
        }
    }

    /** The signal received ("INT" or "TERM"), or null. */
    String received() {
        return received;
    }

    /** 128 + the signal's number, the shell's convention: 130 for SIGINT, 143 for SIGTERM. */
    int exitCode() {
        return "TERM".equals(received) ? 143 : 130;
    }

    /** "Ctrl-C (SIGINT)" or "SIGTERM", for messages. */
    String describe() {
        return "TERM".equals(received) ? "SIGTERM" : "Ctrl-C (SIGINT)";
    }

    /** Handles one signal; package-private so that tests can deliver one without a real signal. */
    void trigger(String name) {
        if (received != null) {
            err.println("second interrupt (SIG" + name + "): exiting at once; the last checkpoint written is kept");
            err.flush();
            halt.accept(exitCode());
            return;
        }
        received = name;
        Runnable r = target;
        if (r == null) {
            err.println("interrupted (SIG" + name + ") before training started: nothing to save; exiting");
            err.flush();
            halt.accept(exitCode());
            return;
        }
        err.println();
        err.println((name.equals("INT") ? "Ctrl-C" : "SIG" + name) + ": finishing the current step and writing a"
                + " checkpoint (Ctrl-C again to exit at once, losing the steps since the last checkpoint)");
        err.flush();
        r.run();
    }

    @Override
    public void close() {
        previous.forEach((name, h) -> Signal.handle(new Signal(name), h));
    }
}

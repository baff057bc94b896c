package org.weightnorm4j.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code weightnorm demo}: the README's first command. The training demo is not written yet (a
 * later issue adds it); until then this says so and runs a short GEMM benchmark, which shows
 * that the build, the launcher and the SIMD kernels work on this machine.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The main demo. For now: says the training demo is not there yet and runs a short GEMM benchmark.")
public final class DemoCommand implements Runnable {

    /** Matrix sizes of the short benchmark. */
    static final List<Integer> SIZES = List.of(256, 1024);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("The training demo does not exist yet; running the kernel benchmark instead:"
                + " weightnorm bench gemm --sizes 256,1024");
        out.flush();
        BenchCommand.Gemm gemm = new BenchCommand.Gemm();
        gemm.sizes = SIZES;
        gemm.run(spec.commandLine(), out);
    }
}

package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.weightnorm4j.tensor.GemmBlocking;
import org.weightnorm4j.tensor.HostInfo;
import org.weightnorm4j.tensor.KernelProvider;
import picocli.CommandLine;

/**
 * The top-level {@code --verbose}: the kernel choice, the host and the GEMM blocking as plain lines
 * on stderr, and nothing without it.
 */
class MainVerboseTest {

    private static String stderrOf(String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertEquals(0, cli.execute(args), "stderr: " + err);
        return err.toString();
    }

    @Test
    void verbosePrintsTheKernelsTheHostAndTheBlocking() {
        GemmBlocking blocking = KernelProvider.gemmBlocking();
        String nl = System.lineSeparator();
        assertEquals(KernelProvider.description() + nl + HostInfo.current().describe() + nl
                + (blocking == null ? "" : blocking + nl), stderrOf("--verbose", "help"));
    }

    @Test
    void withoutVerboseNothingIsPrintedAboutKernels() {
        assertEquals("", stderrOf("help"));
    }
}

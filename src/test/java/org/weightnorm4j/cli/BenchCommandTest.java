package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.Float32Kernels;
import org.weightnorm4j.tensor.GemmBlocking;
import org.weightnorm4j.tensor.HostInfo;
import org.weightnorm4j.tensor.KernelProvider;
import org.weightnorm4j.testing.RestoreThreads;
import picocli.CommandLine;

/** The bench command's output format and option checks (tiny sizes; no timing is asserted). */
@ExtendWith(RestoreThreads.class)
class BenchCommandTest {

    private static List<String> run(StringWriter err, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        assertEquals(0, code, "exit code; stderr: " + err);
        return Arrays.stream(out.toString().split("\n")).filter(s -> !s.isBlank()).collect(Collectors.toList());
    }

    @Test
    void gemmPrintsOneJsonObjectPerSize() {
        List<String> lines = run(new StringWriter(), "bench", "gemm", "--sizes", "7,33", "--reps", "2",
                "--warmup-seconds", "0", "--threads", "2");
        assertEquals(2, lines.size(), String.join("\n", lines));
        int[] sizes = {7, 33};
        for (int i = 0; i < 2; i++) {
            JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertEquals("gemm", o.get("bench").getAsString());
            assertEquals(sizes[i], o.get("m").getAsInt());
            assertEquals(sizes[i], o.get("n").getAsInt());
            assertEquals(sizes[i], o.get("k").getAsInt());
            assertEquals(2, o.get("threads").getAsInt());
            assertTrue(o.get("kernel").getAsString().length() > 0);
            assertTrue(o.get("gflops_best").getAsDouble() >= o.get("gflops_median").getAsDouble(), lines.get(i));
            assertTrue(o.get("gflops_median").getAsDouble() > 0, lines.get(i));
            // The host and the blocking that made the number.
            GemmBlocking blocking = KernelProvider.gemmBlocking();
            assertEquals(blocking == null ? "none" : blocking.sizes(), o.get("gemm_blocking").getAsString(), lines.get(i));
            for (String field : new String[] {"gemm_blocking_source", "host_cpu", "host_isa", "host_vector_bits", "host_kernels",
                "host_l1d", "host_l2", "host_l3"}) {
                assertTrue(o.has(field) && !o.get(field).getAsString().isBlank(), field + " in " + lines.get(i));
            }
            assertEquals(HostInfo.current().cores(), o.get("host_cores").getAsInt());
        }
    }

    @Test
    void everyBenchLineNamesTheHost() {
        List<String> lines = run(new StringWriter(), "bench", "conv", "--batch", "1", "--reps", "1", "--warmup-seconds", "0");
        for (String line : lines) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            assertEquals(HostInfo.current().fields().get("host_l2"), o.get("host_l2").getAsString(), line);
            assertTrue(o.has("gemm_blocking") && o.has("host_cpu"), line);
        }
    }

    @Test
    void theBlockingInUseIsAcceptedAndAnotherIsAClearError() {
        GemmBlocking inUse = KernelProvider.gemmBlocking();
        org.junit.jupiter.api.Assumptions.assumeTrue(inUse != null, "the scalar GEMM has no blocking");
        List<String> lines = run(new StringWriter(), "bench", "gemm", "--sizes", "9", "--reps", "1", "--warmup-seconds", "0",
                "--gemm-blocking", inUse.sizes());
        assertEquals(inUse.sizes(), JsonParser.parseString(lines.get(0)).getAsJsonObject().get("gemm_blocking").getAsString());
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("bench", "gemm", "--sizes", "9", "--gemm-blocking", "64,6," + (inUse.nc() + 1024)));
        assertTrue(err.toString().contains("already runs with " + inUse.sizes()), err.toString());
        assertEquals(2, cli.execute("--gemm-blocking", "64,x", "bench", "gemm", "--sizes", "9"));
        assertTrue(err.toString().contains("'64,x' is not kc,mc,nc"), err.toString());
    }

    @Test
    void gemmWarmsUpUntilSettledAndTimesOnTheCpuClockWithOneThread() {
        List<String> lines = run(new StringWriter(), "bench", "gemm", "--sizes", "9", "--reps", "2", "--warmup-seconds", "0.01",
                "--threads", "1", "--clock", "cpu");
        JsonObject o = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("cpu", o.get("clock").getAsString());
        assertTrue(o.get("warmup_calls").getAsInt() >= 3 + WarmUp.MIN_BATCH * 2 || !o.get("warmup_settled").getAsBoolean(), lines.get(0));
        assertTrue(o.get("warmup_s").getAsDouble() > 0, lines.get(0));
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("bench", "gemm", "--sizes", "9", "--threads", "2", "--clock", "cpu"));
        assertTrue(err.toString().contains("use it with --threads 1"), err.toString());
    }

    @Test
    void convPrintsOneJsonObjectPerLayer() {
        List<String> lines = run(new StringWriter(), "bench", "conv", "--batch", "1", "--reps", "1", "--warmup-seconds", "0");
        assertEquals(BenchCommand.Conv.LAYERS.size(), lines.size(), String.join("\n", lines));
        for (int i = 0; i < lines.size(); i++) {
            JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertEquals("conv2d-fwd-bwd", o.get("bench").getAsString());
            assertEquals(BenchCommand.Conv.LAYERS.get(i).name(), o.get("layer").getAsString());
            assertTrue(o.get("ms_best").getAsDouble() <= o.get("ms_median").getAsDouble(), lines.get(i));
            assertTrue(o.get("gflops_best").getAsDouble() > 0, lines.get(i));
        }
    }

    /** Every convolution shape of the reference VAE, the strided and transposed ones included, with the algorithm that ran it. */
    @Test
    void convSplitTimesEachPassOfEveryVaeLayer() {
        List<String> lines = run(new StringWriter(), "bench", "conv", "--layers", "vae", "--split", "--batch", "1",
                "--reps", "1", "--warmup-seconds", "0");
        List<BenchCommand.Conv.Layer> layers = BenchCommand.Conv.VAE_LAYERS;
        assertEquals(9, layers.size());
        assertEquals(3 * layers.size(), lines.size(), String.join("\n", lines));
        for (int i = 0; i < lines.size(); i++) {
            JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            BenchCommand.Conv.Layer layer = layers.get(i / 3);
            assertEquals(layer.name(), o.get("layer").getAsString());
            assertTrue(o.get("gflops_best").getAsDouble() > 0, lines.get(i));
            boolean strided = layer.name().contains(" s2 ");
            assertEquals(strided ? 2 : 1, layer.stride(), layer.name());
            List<String> expected = KernelProvider.float32() instanceof Float32Kernels f
                    ? f.convolutionAlgorithms(layer.cin(), layer.cout(), layer.kernel(), new ConvSpec(layer.stride(), layer.padding()),
                            layer.hw(), layer.hw())
                    : List.of("reference", "reference", "reference");
            assertEquals(expected.get(i % 3), o.get("algorithm").getAsString(), lines.get(i));
        }
    }

    @Test
    void convSplitTimesEachPassOfEveryCnnLayer() {
        List<String> lines = run(new StringWriter(), "bench", "conv", "--layers", "cnn", "--split", "--batch", "1",
                "--reps", "1", "--warmup-seconds", "0");
        List<BenchCommand.Conv.Layer> layers = BenchCommand.Conv.CNN_LAYERS;
        assertEquals(3 * layers.size(), lines.size(), String.join("\n", lines));
        String[] ops = {"forward", "backward-data", "backward-filter"};
        for (int i = 0; i < lines.size(); i++) {
            JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertEquals("conv2d", o.get("bench").getAsString());
            assertEquals(layers.get(i / 3).name(), o.get("layer").getAsString());
            assertEquals(ops[i % 3], o.get("op").getAsString());
            assertTrue(o.get("gflops_best").getAsDouble() > 0, lines.get(i));
            // Which algorithm ran: the 28x28 and 14x14 "same" layers go to Winograd with the Vector
            // API (the tests run with it), the first layer (one input channel), the 5x5 and 1x1 ones to im2col,
            // except the first layer's input gradient (a convolution with one output channel), which is direct.
            boolean simd = KernelProvider.float32() instanceof Float32Kernels f && f.simd();
            String layer = layers.get(i / 3).name();
            boolean winograd = simd && (layer.startsWith("cnn.conv2") || layer.startsWith("cnn.conv3") || layer.startsWith("cnn.conv4"));
            boolean direct = simd && layer.startsWith("cnn.conv1") && ops[i % 3].equals("backward-data");
            assertEquals(direct ? "direct" : winograd ? "winograd" : "im2col", o.get("algorithm").getAsString(), lines.get(i));
        }
    }

    /** {@code bench conv --clock cpu}: the calls timed by the thread's CPU clock, said in each line; one thread only. */
    @Test
    void convCpuClockTimesOneThreadAndSaysSo() {
        List<String> lines = run(new StringWriter(), "bench", "conv", "--batch", "1", "--reps", "1", "--warmup-seconds", "0",
                "--threads", "1", "--clock", "cpu");
        assertEquals(BenchCommand.Conv.LAYERS.size(), lines.size(), String.join("\n", lines));
        for (String line : lines) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            assertEquals("cpu", o.get("clock").getAsString(), line);
            assertTrue(o.get("ms_median").getAsDouble() > 0, line);
        }
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("bench", "conv", "--batch", "1", "--threads", "2", "--clock", "cpu"));
        assertTrue(err.toString().contains("--clock cpu times the calling thread only"), err.toString());
        assertEquals(2, cli.execute("bench", "conv", "--batch", "1", "--threads", "1", "--clock", "sundial"));
        assertTrue(err.toString().contains("--clock must be wall or cpu"), err.toString());
    }

    @Test
    void badOptionsAreUsageErrors() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("bench", "gemm", "--sizes", "0", "--warmup-seconds", "0"));
        assertTrue(err.toString().contains("--sizes must be positive but got 0"), err.toString());
        assertEquals(2, cli.execute("bench", "gemm", "--reps", "-1"));
        assertTrue(err.toString().contains("--reps must be >= 0"), err.toString());
        assertEquals(2, cli.execute("bench", "conv", "--layers", "resnet", "--warmup-seconds", "0"));
        assertTrue(err.toString().contains("--layers must be reference, cnn or vae but got 'resnet'"), err.toString());
    }
}

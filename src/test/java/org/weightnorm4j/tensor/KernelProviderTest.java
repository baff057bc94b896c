package org.weightnorm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class KernelProviderTest {

    @Test
    void autoPicksTheVectorApiWhenTheModuleIsPresent() {
        // Surefire runs the tests with --add-modules jdk.incubator.vector (see pom.xml).
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "tests must run with the module");
        if (PanamaGemm.preferredVectorBits() >= KernelProvider.MIN_VECTOR_BITS) {
            assertNull(KernelProvider.simdUnavailableReason());
            KernelBackend auto = KernelProvider.choose("auto");
            assertInstanceOf(Float32Kernels.class, auto);
            assertTrue(auto.name().startsWith("panama-"), auto.name());
            assertTrue(((Float32Kernels) auto).simd());
            assertEquals(auto.name(), KernelProvider.choose("SIMD").name());
        } else {
            assertTrue(KernelProvider.simdUnavailableReason().contains("bits"));
            assertEquals("scalar", KernelProvider.choose("auto").name());
        }
    }

    @Test
    void forcedModes() {
        KernelBackend scalar = KernelProvider.choose("scalar");
        assertEquals("scalar", scalar.name());
        assertFalse(((Float32Kernels) scalar).simd());
        assertSame(ReferenceKernels.INSTANCE, KernelProvider.choose("reference"));
        // Asked-for choices are described but never printed unasked.
        KernelProvider.Choice forced = KernelProvider.choice("scalar");
        assertFalse(forced.warn());
        assertEquals("kernels: scalar (forced by -Dweightnorm4j.kernels=scalar)", forced.description());
        assertFalse(KernelProvider.choice("reference").warn());
    }

    @Test
    void unknownModeNamesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelProvider.choose("fast"));
        assertTrue(e.getMessage().contains("fast") && e.getMessage().contains("auto, simd, scalar, reference"), e.getMessage());
    }

    @Test
    void theWinogradSwitchTakesTrueOrFalseAndNamesItselfOtherwise() {
        assertTrue(KernelProvider.parseWinograd("true"));
        assertTrue(KernelProvider.parseWinograd(" TRUE "));
        assertFalse(KernelProvider.parseWinograd("false"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelProvider.parseWinograd("off"));
        assertTrue(e.getMessage().contains("weightnorm4j.winograd=off") && e.getMessage().contains("true or false"),
                e.getMessage());
    }

    @Test
    void withoutTheModuleFallsBackToScalarAndSaysWhyInOnePlainLine() throws IOException, InterruptedException {
        List<String> lines = runProbe(false);
        // The kernels beyond GEMM ran too: the scalar path needs nothing from the module.
        assertTrue(lines.contains(Probe.EXPECTED), "probe output: " + lines);
        assertTrue(lines.contains(Probe.BACKEND + "scalar"), "probe output: " + lines);
        // The fallback costs 5-10x, so it is printed without --verbose: one plain line, no logging record.
        List<String> others = lines.stream().filter(l -> !l.startsWith(Probe.BACKEND) && !l.equals(Probe.EXPECTED)).toList();
        assertEquals(List.of("weightnorm4j: kernels: scalar, because the Vector API is unavailable: run the JVM with"
                + " --add-modules jdk.incubator.vector"), others);
    }

    @Test
    void withTheModuleTheChoiceIsSilentButDescribed() throws IOException, InterruptedException {
        List<String> lines = runProbe(true);
        assertTrue(lines.contains(Probe.EXPECTED), "probe output: " + lines);
        // Only the JVM's own notice about incubator modules; no line from the kernel choice.
        List<String> others = lines.stream()
                .filter(l -> !l.startsWith(Probe.BACKEND) && !l.equals(Probe.EXPECTED))
                .filter(l -> !l.equals("WARNING: Using incubator modules: jdk.incubator.vector"))
                .toList();
        assertEquals(List.of(), others);
        String description = KernelProvider.description();
        assertTrue(description.startsWith("kernels: " + KernelProvider.float32().name() + " ("), description);
    }

    /** The probe's output lines, standard error included, from a JVM with or without the Vector API module. */
    private static List<String> runProbe(boolean withModule) throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new java.util.ArrayList<>(List.of(java));
        if (withModule) {
            command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        assertEquals(0, process.exitValue(), output);
        return output.lines().toList();
    }

    /** Runs in a fresh JVM: prints the backend it got and the results of a few kernels. */
    public static final class Probe {
        static final String BACKEND = "backend=";
        /** gemm, ReLU, channel sums, 2x2 max pooling and its argmax of the inputs below, by hand. */
        static final String EXPECTED = "c=[3.0, 4.0, 6.0, 8.0] relu=[0.0, 2.0, 3.0, 0.0, 5.0, 0.0, 7.0, 8.0]"
                + " sums=[5.0, 20.0] pool=[3.0, 8.0] argmax=[2, 7]";

        public static void main(String[] args) {
            KernelBackend backend = KernelProvider.float32();
            float[] c = new float[4];
            backend.gemm(false, false, 2, 2, 1, new float[] {1, 2}, 0, 1, new float[] {3, 4}, 0, 2, c, 0, 2, false);
            Tensor x = Tensor.wrap(new float[] {-1, 2, 3, -4, 5, -6, 7, 8}, 1, 2, 2, 2);
            Tensor y = Tensor.zeros(1, 2, 2, 2);
            Kernels.activationForward(Activation.RELU, x, y);
            Tensor sums = Tensor.zeros(2);
            Kernels.channelSums(y, sums, false);
            Tensor pooled = Tensor.zeros(1, 2, 1, 1);
            int[] argmax = new int[2];
            Kernels.maxPool2x2Forward(x, pooled, argmax);
            System.out.println(BACKEND + backend.name());
            System.out.println("c=" + Arrays.toString(c) + " relu=" + Arrays.toString(y.data())
                    + " sums=" + Arrays.toString(sums.data()) + " pool=" + Arrays.toString(pooled.data())
                    + " argmax=" + Arrays.toString(argmax));
        }
    }
}

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
    void withoutTheModuleFallsBackToScalarAndSaysWhy() throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Probe.class.getName()))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe JVM did not finish");
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("backend=scalar"), output);
        assertTrue(output.contains("--add-modules jdk.incubator.vector"), "the log should say how to enable SIMD: " + output);
    }

    /** Runs in a JVM started without the Vector API module: prints the backend it got. */
    public static final class Probe {
        public static void main(String[] args) {
            KernelBackend backend = KernelProvider.float32();
            float[] c = new float[4];
            backend.gemm(false, false, 2, 2, 1, new float[] {1, 2}, 0, 1, new float[] {3, 4}, 0, 2, c, 0, 2, false);
            System.out.println("backend=" + backend.name() + " c=" + java.util.Arrays.toString(c));
        }
    }
}

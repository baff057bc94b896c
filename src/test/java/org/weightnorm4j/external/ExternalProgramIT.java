package org.weightnorm4j.external;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.data.DatasetLocator;
import org.weightnorm4j.data.KnownDataset;

/**
 * Programs written as a user would write them, compiled against nothing but the shaded jar
 * ({@code target/weightnorm4j-all.jar}, made in the package phase; failsafe runs this after it)
 * and run in a JVM of their own: the README's custom-model example, read from README.md itself so
 * the README cannot rot, and a program that uses the public train step directly.
 */
class ExternalProgramIT {
    @TempDir
    Path dir;

    @Test
    void aProgramUsingThePublicTrainStepCompilesAgainstTheJarAndRuns() throws Exception {
        String source;
        try (InputStream in = ExternalProgramIT.class.getResourceAsStream("/external/ExternalTrainStep.java")) {
            assertNotNull(in, "test resource /external/ExternalTrainStep.java");
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String out = compileAndRun("ExternalTrainStep", source);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("OK loss")), out);
    }

    @Test
    void theReadmeExampleCompilesAgainstTheJarAndTrains() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("weightnorm4j.readme", "README.md")));
        String source = example(readme, "CustomModel.java");
        Assumptions.assumeTrue(fashionMnistPresent(), "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist,"
                + " or ./weightnorm data fetch fashion-mnist); .ci/run installs it");
        String out = compileAndRun("CustomModel", source);
        Matcher m = Pattern.compile("test accuracy (\\d\\.\\d+) with weight norm, (\\d\\.\\d+) after remove").matcher(out);
        assertTrue(m.find(), out);
        double withWn = Double.parseDouble(m.group(1));
        assertTrue(withWn > 0.75, "one epoch of a 784-256-256-10 network reaches well above 75% on Fashion-MNIST: " + out);
        assertEquals(withWn, Double.parseDouble(m.group(2)), 2e-4, "remove leaves the predictions as they were: " + out);
    }

    /** The java block after the marker {@code <!-- compiled-example: NAME -->}. */
    static String example(String readme, String name) {
        int marker = readme.indexOf("<!-- compiled-example: " + name + " -->");
        assertTrue(marker >= 0, "README.md has no example marked " + name);
        int start = readme.indexOf("```java\n", marker);
        int end = readme.indexOf("\n```", start + 8);
        assertTrue(start > marker && end > start, "README.md: the marker " + name + " is not followed by a java block");
        return readme.substring(start + 8, end + 1);
    }

    private static boolean fashionMnistPresent() {
        return DatasetLocator.standard(null).probe(KnownDataset.byId("fashion-mnist")).stream().anyMatch(DatasetLocator.Probe::found);
    }

    /** Compiles {@code source} as {@code className} with only the shaded jar on the class path, runs it, returns its output. */
    private String compileAndRun(String className, String source) throws Exception {
        Path jar = Path.of(System.getProperty("weightnorm4j.shadedJar", "target/weightnorm4j-all.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "no shaded jar at " + jar + "; run ./mvnw verify (it is made in the package phase)");
        Path src = dir.resolve(className + ".java");
        Files.writeString(src, source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "a JDK is needed to compile the example");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-classpath", jar.toString(), "-d", classes.toString(),
                "-Xlint:all", "-Werror", src.toString());
        assertEquals(0, rc, "javac " + className + ":\n" + diagnostics.toString(StandardCharsets.UTF_8));

        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(javaBin, "--add-modules", "jdk.incubator.vector", "-Xmx2g",
                "-cp", jar + java.io.File.pathSeparator + classes, className))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), className + " did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), className + " failed:\n" + text);
        return text;
    }
}

package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --spark} in the core, which has no Spark on its class path: a bad master is a usage error
 * and a missing module an error naming the launcher, both before any data is loaded (the module's
 * own tests run the grids).
 */
class SparkOptionTest {

    private static String[] run(String... args) {
        return ExperimentCommandsTest.run(args);
    }

    @Test
    void aBadMasterIsAUsageErrorNamingTheForms() {
        for (String cmd : List.of("compare", "lr-sweep")) {
            String[] r = run(cmd, "--spark", "locl[2]", "--data", "/nonexistent");
            assertEquals("2", r[0], r[2]);
            assertTrue(r[2].contains("--spark: 'locl[2]' is not a Spark master") && r[2].contains("local[N,F]")
                    && r[2].contains("spark://HOST:7077"), r[2]);
        }
        // The DQN, VAE and DRAW grids check it the same way, before their data or games are touched.
        for (String cmd : List.of("dqn", "vae", "draw")) {
            String[] g = run(paperGrid(cmd, "--spark", "locl[2]"));
            assertEquals("2", g[0], cmd + ": " + g[2]);
            assertTrue(g[2].contains("--spark: 'locl[2]' is not a Spark master") && g[2].contains("local[N,F]"), g[2]);
        }
        for (String bad : List.of("local[0]", "local[2,]", "spark://host", "local[*", "")) {
            assertThrows(IllegalArgumentException.class, () -> GridRunners.checkMaster(bad), bad);
        }
        for (String good : List.of("local", "local[*]", "local[4]", "local[2,3]", "local[*,4]", "spark://a:7077",
                "spark://a:7077,b:7077", "yarn", "k8s://https://10.0.0.1:6443", "local-cluster[2,1,1024]")) {
            assertEquals(good, GridRunners.checkMaster(good));
        }
    }

    @Test
    void withoutTheModuleTheErrorSaysHowToGetIt() {
        // --spark without a value takes local[*]; the next option is not swallowed as the master.
        String[] r = run("compare", "--spark", "--data", "/nonexistent");
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("--spark needs weightnorm4j-spark on the classpath: run ./weightnorm-spark"), r[2]);
        r = run("lr-sweep", "--spark", "local[2]", "--data", "/nonexistent");
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("--spark needs weightnorm4j-spark on the classpath"), r[2]);
        for (String cmd : List.of("dqn", "vae", "draw")) {
            r = run(paperGrid(cmd, "--spark"));
            assertEquals("1", r[0], cmd + ": " + r[2]);
            assertTrue(r[2].contains("--spark needs weightnorm4j-spark on the classpath: run ./weightnorm-spark"), r[2]);
        }
        r = run("train", "--spark", "local[2]", "--workers", "2", "--data", "/nonexistent");
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("--spark needs weightnorm4j-spark on the classpath"), r[2]);
    }

    /** {@code CMD compare} with {@code spark} and options that would fail later (no data; DQN has no --data). */
    private static String[] paperGrid(String cmd, String... spark) {
        List<String> a = new java.util.ArrayList<>(List.of(cmd, "compare", "--out", "/nonexistent/grid"));
        if (!cmd.equals("dqn")) {
            a.addAll(List.of("--data", "/nonexistent"));
        }
        a.addAll(List.of(spark));
        return a.toArray(String[]::new);
    }

    @Test
    void trainChecksItsWorkersAndMaster() {
        String[] r = run("train", "--spark", "--workers", "0", "--data", "/nonexistent");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--workers must be at least 1"), r[2]);
        r = run("train", "--spark", "yarn-cluster", "--data", "/nonexistent");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("'yarn-cluster' is not a Spark master"), r[2]);
    }

    @Test
    void seedsMustBeDistinctIntegers() {
        String[] r = run("compare", "--seeds", "1,1", "--data", "/nonexistent");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--seeds"), r[2]);
        r = run("compare", "--seeds", "1,x", "--data", "/nonexistent");
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains("--seeds: 'x' is not an integer"), r[2]);
    }
}

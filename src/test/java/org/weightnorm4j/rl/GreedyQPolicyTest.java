package org.weightnorm4j.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.norm.Parameterization;

/** The trained agent read back from a checkpoint plays as the agent that wrote it. */
class GreedyQPolicyTest {

    private static DqnRun trainedRun(Parameterization p) {
        DqnConfig c = DqnConfig.baseline(p).withBatch(4).withSchedule(300, 50, 25, 100);
        Environment env = MinAtar.create("seaquest", 5);
        DqnRun run = new DqnRun(env, new DqnAgent(c, env.numChannels(), 5), 100);
        run.runUntil(150, new DqnRun.Listener() { });
        return run;
    }

    @Test
    void readTrainedGivesTheOnlineNetworkOfTheCheckpointAndItsGreedyActionsAreTheAgents(@TempDir Path dir) throws Exception {
        for (Parameterization p : List.of(Parameterization.NORMAL, Parameterization.WN, Parameterization.WN_MOBN)) {
            DqnRun run = trainedRun(p);
            Path d = Files.createDirectories(dir.resolve(p.cliName()));
            DqnCheckpoint.save(d, run);
            DqnCheckpoint.Trained t = DqnCheckpoint.readTrained(d, s -> { });
            assertEquals("seaquest", t.game());
            assertEquals(p, t.param());
            assertEquals(150, t.frame());
            Map<String, Param> want = ModelTree.namedParams(run.agent().online());
            Map<String, Param> got = ModelTree.namedParams(t.online());
            assertEquals(want.keySet(), got.keySet());
            want.forEach((k, v) -> assertArrayEquals(v.value().data(), got.get(k).value().data(), k));
            assertEquals(ModelTree.namedBuffers(run.agent().online()).keySet(), ModelTree.namedBuffers(t.online()).keySet());

            GreedyQPolicy greedy = new GreedyQPolicy(t.online(), 10, 0.0, 1);
            Environment env = MinAtar.create("seaquest", 9);
            float[] obs = new float[10 * Environment.CELLS];
            List<Integer> a = new ArrayList<>();
            List<Integer> b = new ArrayList<>();
            for (int i = 0; i < 200 && !env.terminal(); i++) {
                env.observe(obs);
                a.add(greedy.act(obs));
                b.add(run.agent().act(obs));
                env.step(a.get(a.size() - 1));
            }
            assertEquals(b, a, p.cliName());
        }
    }

    @Test
    void epsilonSetsTheShareOfRandomActions() {
        DqnRun run = trainedRun(Parameterization.WN);
        float[] obs = new float[10 * Environment.CELLS];
        MinAtar.create("seaquest", 3).observe(obs);
        int greedyAction = run.agent().act(obs);
        GreedyQPolicy p = new GreedyQPolicy(run.agent().online(), 10, 0.3, 7);
        int other = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            other += p.act(obs) != greedyAction ? 1 : 0;
        }
        // A random action differs from the greedy one with probability 5/6: 0.3 * 5/6 = 0.25 (5 sigma: 0.015).
        assertEquals(0.25, other / (double) n, 0.015);
        assertThrows(IllegalArgumentException.class, () -> new GreedyQPolicy(run.agent().online(), 10, -0.1, 1));
    }

    @Test
    void aDamagedOrMissingCheckpointIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        var e = assertThrows(java.io.IOException.class, () -> DqnCheckpoint.readTrained(dir, s -> { }));
        assertTrue(e.getMessage().contains("no dqn-checkpoint.bin"), e.getMessage());
        DqnCheckpoint.save(dir, trainedRun(Parameterization.NORMAL));
        byte[] b = Files.readAllBytes(dir.resolve(DqnCheckpoint.FILE));
        b[100] ^= 1;
        Files.write(dir.resolve(DqnCheckpoint.FILE), b);
        e = assertThrows(java.io.IOException.class, () -> DqnCheckpoint.readTrained(dir, s -> { }));
        assertTrue(e.getMessage().contains("damaged") && e.getMessage().contains(DqnCheckpoint.FILE), e.getMessage());
    }
}

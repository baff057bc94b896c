package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.weightnorm4j.testing.TinyTask;

class NoiseExperimentTest {

    private static NoiseResult run(Path out, String optimizer, double lr, double weightDecay) {
        NoiseExperiment.Settings s = new NoiseExperiment.Settings(List.of(8, 32), 0, 30,
                new TrainSettings(1, 8, org.weightnorm4j.optim.OptimizerSpec.parse(optimizer, lr, 0.9, 0, false, weightDecay), 32, 3));
        return new NoiseExperiment(TinyTask.workload(256, 8), s, out, new PrintWriter(new StringWriter()), false).run();
    }

    @Test
    void normGrowthIdentityHoldsStepByStepForPlainSgd(@TempDir Path out) throws Exception {
        NoiseResult r = run(out, "sgd", 0.5, 0);
        assertEquals(3, r.layerCount());
        for (NoiseExperiment.BatchRun run : r.runs()) {
            assertEquals(30, run.steps(), "stops after --steps steps");
            for (NormGrowthProbe.Layer l : run.layers()) {
                assertEquals(30, l.samples().size());
                assertTrue(l.maxDeviation() < 1e-6, l.name() + ": deviation " + l.maxDeviation());
                assertTrue(l.meanGrowthPerStep() > 1e-5, l.name() + ": the updates must be large enough to test anything, "
                        + l.meanGrowthPerStep());
                double previous = l.initialMeanVNorm();
                for (NormGrowthProbe.Sample s : l.samples()) {
                    assertTrue(s.meanVNorm() >= previous * (1 - 1e-7), "plain SGD never shrinks ||v|| (step " + s.step() + ")");
                    previous = s.meanVNorm();
                }
                assertTrue(l.growthFactor() > 1);
                assertEquals(l.samples().get(29).meanVNorm() / l.samples().get(9).meanVNorm(), l.growthFactorAfter(10), 1e-15);
                assertTrue(l.growthFactorAfter(10) >= 1 && l.growthFactorAfter(10) <= l.growthFactor());
            }
        }
        Path html = NoiseReport.write(r, List.of("weightnorm", "noise"), out);
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertTrue(page.contains("held at every step, unit and layer"), "conclusion on the identity");
        assertTrue(page.contains("grew ×"), "conclusion on the growth, with numbers");
        assertTrue(page.contains("From step 10 on"), "growth after the first steps");
        assertTrue(page.contains("angle between successive updates"), "angle chart");
        assertTrue(Files.exists(out.resolve("noise-b8.csv")) && Files.exists(out.resolve("noise-b32.csv")));
        assertEquals(1 + 3 * 30, Files.readAllLines(out.resolve("noise-b8.csv")).size());
    }

    @Test
    void adamBreaksTheIdentityAndTheReportSaysSo(@TempDir Path out) throws Exception {
        NoiseResult r = run(out, "adam", 0.02, 0);
        assertTrue(r.maxDeviation() > 1e-4, "Adam's update is not orthogonal to v: " + r.maxDeviation());
        String page = Files.readString(NoiseReport.write(r, List.of("weightnorm", "noise"), out), StandardCharsets.UTF_8);
        assertTrue(page.contains("not expected to hold"), "conclusion for Adam");
    }

    @Test
    void weightDecayShrinksTheNormBelowThePlainSgdGrowth(@TempDir Path tmp) {
        NoiseResult plain = run(tmp.resolve("plain"), "sgd", 0.5, 0);
        NoiseResult decayed = run(tmp.resolve("decay"), "sgd", 0.5, 0.05);
        assertTrue(decayed.maxDeviation() > 1e-4, "weight decay's −ηλv is along v: " + decayed.maxDeviation());
        for (int l = 0; l < plain.layerCount(); l++) {
            assertTrue(decayed.runs().get(0).layers().get(l).growthFactor() < plain.runs().get(0).layers().get(l).growthFactor());
        }
    }

    @Test
    void labelNoiseChangesTheAskedFractionToOtherClasses() {
        var data = TinyTask.data("t", 4000, 1);
        var noisy = LabelNoise.apply(data, 0.3, 9);
        double fraction = LabelNoise.changed(data, noisy) / 4000.0;
        assertEquals(0.3, fraction, 0.03);
        assertTrue(data.images() == noisy.images(), "images are shared");
    }
}

package org.weightnorm4j.generative;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.weightnorm4j.nn.StepDense;
import org.weightnorm4j.nn.ModelTree;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.norm.WeightNormed;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * The whole DRAW model: its bound's gradient in every parameter against float64 central finite
 * differences on a tiny configuration (6×6 images, 3 glimpses, 4 units), plain and weight-normed;
 * the same without attention (Gregor et al.'s baseline; both sides and each side alone) and its
 * state-dict names; the read grid's digit-box initialisation; the paper configuration's parameter
 * counts (the peer's); weight norm starting from the same function; float32 against float64.
 */
class DrawTest {
    private static final DrawConfig TINY = new DrawConfig(6, 6, 3, 4, 3, 2, 3);

    @ParameterizedTest(name = "wn={0}")
    @ValueSource(booleans = {false, true})
    void wholeModelGradientMatchesFiniteDifferences(boolean wn) {
        checkGradients(TINY, wn);
    }

    /** Without attention (Gregor et al. §3.2's baseline) on both sides, and on one side only. */
    @ParameterizedTest(name = "read {0}, write {1}, wn={2}")
    @CsvSource({"0, 0, false", "0, 0, true", "0, 3, false", "2, 0, true"})
    void withoutAttentionGradientMatchesFiniteDifferences(int read, int write, boolean wn) {
        checkGradients(new DrawConfig(6, 6, 3, 4, 3, read, write), wn);
    }

    private static void checkGradients(DrawConfig cfg, boolean wn) {
        Draw model = Draw.create(cfg, wn, 0.4, DType.FLOAT64, new SplittableRandom(wn ? 3 : 4));
        SplittableRandom rnd = new SplittableRandom(9);
        int n = 2;
        Tensor x = Tensor.zeros(DType.FLOAT64, n, cfg.pixels());
        for (int i = 0; i < x.size(); i++) {
            x.set(i, rnd.nextDouble() < 0.4 ? 1 : 0);
        }
        Tensor eps = Tensor.zeros(DType.FLOAT64, cfg.glimpses(), n, cfg.latent());
        Draw.drawNoise(eps, rnd);
        // biases are zero at creation: move them so that their gradients are checked away from a special point
        for (Param p : model.params()) {
            if (p.name().startsWith("bias")) {
                for (int i = 0; i < p.value().size(); i++) {
                    p.value().set(i, rnd.nextDouble(-0.3, 0.3));
                }
            }
        }
        double[] w = {0.5, 0.5};
        model.bound(x, eps);
        model.backward(w);
        // err = |a − n| / max(|a|, |n|, 0.05): relative above 0.05, absolute (5e-8) below, which sits above the
        // rounding noise of a difference of two bounds of ~30 nats divided by 2h (~1e-8)
        double h = 1e-5, worst = 0;
        String where = "";
        int checked = 0;
        for (Map.Entry<String, Param> e : ModelTree.namedParams(model).entrySet()) {
            Tensor v = e.getValue().value();
            for (int i = 0; i < v.size(); i++) {
                double keep = v.get(i);
                v.set(i, keep + h);
                double up = model.bound(x, eps).mean();
                v.set(i, keep - h);
                double down = model.bound(x, eps).mean();
                v.set(i, keep);
                double numeric = (up - down) / (2 * h), analytic = e.getValue().grad().get(i);
                double err = Math.abs(numeric - analytic) / Math.max(0.05, Math.max(Math.abs(numeric), Math.abs(analytic)));
                if (err > worst) {
                    worst = err;
                    where = e.getKey() + "[" + i + "] analytic " + analytic + " numeric " + numeric;
                }
                checked++;
            }
        }
        assertTrue(checked > 500, "entries checked: " + checked);
        assertTrue(worst < 1e-6, "worst relative error " + worst + " at " + where);
    }

    @Test
    void withoutAttentionHasNoAttentionModulesAndWritesWholeImages() {
        DrawConfig cfg = new DrawConfig(6, 5, 3, 4, 3, 0, 0);
        assertEquals(60, cfg.readSize(), "[x, x̂]: two whole 6x5 images");
        assertEquals(30, cfg.writeSize());
        Draw plain = Draw.create(cfg, false, 0.1, DType.FLOAT32, new SplittableRandom(1));
        LinkedHashMap<String, Param> p = ModelTree.namedParams(plain);
        assertEquals(List.of("enc.weight_ih", "enc.weight_hh", "enc.bias_ih", "enc.bias_hh", "dec.weight_ih", "dec.weight_hh",
                "dec.bias_ih", "dec.bias_hh", "q.weight", "q.bias", "write_w.weight", "write_w.bias"), List.copyOf(p.keySet()));
        assertArrayEquals(new int[] {16, 64}, p.get("enc.weight_ih").value().shape(), "LSTMCell(60 + 4 -> 4)");
        assertArrayEquals(new int[] {30, 4}, p.get("write_w.weight").value().shape(), "Linear(H, P)");
        Draw wn = Draw.create(cfg, true, 0.1, DType.FLOAT32, new SplittableRandom(1));
        assertTrue(ModelTree.namedParams(wn).containsKey("write_w.weight_g"));
        assertFalse(ModelTree.namedParams(wn).keySet().stream().anyMatch(k -> k.contains("_att")));
        // only read attention: write_att and its 5x5 patch stay
        Draw readOnly = Draw.create(new DrawConfig(6, 5, 3, 4, 3, 0, 2), false, 0.1, DType.FLOAT32, new SplittableRandom(1));
        assertTrue(ModelTree.namedParams(readOnly).containsKey("write_att.weight"));
        assertFalse(ModelTree.namedParams(readOnly).containsKey("read_att.weight"));
        double[][] frames = wn.sample(2, new SplittableRandom(3), DType.FLOAT32);
        assertEquals(3, frames.length);
        assertEquals(60, frames[2].length);
    }

    @Test
    void inconsistentAttentionIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DrawConfig(28, 28, 4, 8, 2, 1, 5));
        assertTrue(e.getMessage().contains("0 (no attention"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DrawConfig(28, 28, 4, 8, 2, 2, -3));
        Draw withAtt = Draw.create(TINY, false, 0.1, DType.FLOAT32, new SplittableRandom(1));
        DrawConfig none = new DrawConfig(6, 6, 3, 4, 3, 0, 3);
        Draw noRead = Draw.create(none, false, 0.1, DType.FLOAT32, new SplittableRandom(1));
        StepDense readAtt = (StepDense) withAtt.children().get("read_att");
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> new Draw(none, noRead.encoder(),
                noRead.decoder(), (StepDense) noRead.children().get("q"), readAtt, (StepDense) noRead.children().get("write_att"),
                (StepDense) noRead.children().get("write_w")));
        assertTrue(m.getMessage().contains("no read attention"), m.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class, noRead::initReadOverDigit);
        assertTrue(s.getMessage().contains("read 0"), s.getMessage());
    }

    @Test
    void digitReadInitPutsTheGridOverTheDigitBox() {
        Draw model = Draw.create(new DrawConfig(28, 28, 2, 4, 3, 2, 5), true, 0.01, DType.FLOAT64, new SplittableRandom(1));
        model.initReadOverDigit();
        Tensor bias = ModelTree.namedParams(model).get("read_att.bias").value();
        DrawAttention reader = new DrawAttention(2, 28, 28);
        DrawAttention.Banks b = reader.newBanks(1);
        double[] p = new double[5];
        for (int i = 0; i < 5; i++) {
            p[i] = bias.get(i);
        }
        reader.filterbanks(p, 0, b);
        // the 20-pixel box centred at 14.5 in two cells of 10: filters at 9.5 and 19.5, σ = 5, γ = 1
        assertEquals(9.5, b.muX[0], 1e-12);
        assertEquals(19.5, b.muX[1], 1e-12);
        assertEquals(9.5, b.muY[0], 1e-12);
        assertEquals(25, b.var[0], 1e-12);
        assertEquals(1, b.gamma[0], 1e-12);
        // 5x5: cells of 4 pixels, centres 6.5 .. 22.5
        DrawAttention five = new DrawAttention(5, 28, 28);
        DrawAttention.Banks b5 = five.newBanks(1);
        five.filterbanks(five.digitBoxParameters(), 0, b5);
        assertEquals(6.5, b5.muX[0], 1e-12);
        assertEquals(22.5, b5.muX[4], 1e-12);
        assertEquals(4, b5.var[0], 1e-12);
    }

    @Test
    void paperConfigurationHasThePeersParameterCounts() {
        assertEquals(961_515, ModelTree.parameterCount(Draw.create(DrawConfig.paper(), false, 0.01, DType.FLOAT32, new SplittableRandom(1))));
        Draw wn = Draw.create(DrawConfig.paper(), true, 0.01, DType.FLOAT32, new SplittableRandom(1));
        assertEquals(965_846, ModelTree.parameterCount(wn));
        // every weight is weight-normed: 2 per cell and 4 Linear layers
        assertEquals(8, WeightNormed.find(wn).size());
        assertEquals(1024, ModelTree.namedParams(wn).get("enc.weight_hh_g").value().dim(0), "one g per gate row");
    }

    @Test
    void weightNormStartsFromTheSameFunction() {
        Draw plain = Draw.create(TINY, false, 0.01, DType.FLOAT64, new SplittableRandom(5));
        Draw wn = Draw.create(TINY, true, 0.01, DType.FLOAT64, new SplittableRandom(5));
        Tensor x = Tensor.zeros(DType.FLOAT64, 3, TINY.pixels());
        for (int i = 0; i < x.size(); i += 3) {
            x.set(i, 1);
        }
        Tensor eps = Tensor.zeros(DType.FLOAT64, TINY.glimpses(), 3, TINY.latent());
        Draw.drawNoise(eps, new SplittableRandom(2));
        assertEquals(plain.bound(x, eps).mean(), wn.bound(x, eps).mean(), 1e-12);
    }

    @Test
    void float32AgreesWithFloat64() {
        DrawConfig cfg = new DrawConfig(9, 7, 4, 6, 5, 3, 4);
        Draw d64 = Draw.create(cfg, true, 0.3, DType.FLOAT64, new SplittableRandom(8));
        Draw d32 = Draw.create(cfg, true, 0.3, DType.FLOAT32, new SplittableRandom(8));
        Tensor x64 = Tensor.zeros(DType.FLOAT64, 5, cfg.pixels());
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < x64.size(); i++) {
            x64.set(i, rnd.nextInt(2));
        }
        Tensor eps64 = Tensor.zeros(DType.FLOAT64, cfg.glimpses(), 5, cfg.latent());
        Draw.drawNoise(eps64, rnd);
        double b64 = d64.bound(x64, eps64).mean(), b32 = d32.bound(x64.to(DType.FLOAT32), eps64.to(DType.FLOAT32)).mean();
        assertEquals(b64, b32, 1e-4 * Math.abs(b64));
        double[] w = new double[5];
        Arrays.fill(w, 0.2);
        d64.backward(w);
        d32.backward(w);
        LinkedHashMap<String, Param> p64 = ModelTree.namedParams(d64), p32 = ModelTree.namedParams(d32);
        for (String name : p64.keySet()) {
            Tensor g64 = p64.get(name).grad(), g32 = p32.get(name).grad();
            double scale = 0;
            for (int i = 0; i < g64.size(); i++) {
                scale = Math.max(scale, Math.abs(g64.get(i)));
            }
            for (int i = 0; i < g64.size(); i++) {
                assertEquals(g64.get(i), g32.get(i), 1e-3 * scale + 1e-9, name + "[" + i + "]");
            }
        }
    }

    @Test
    void wrongShapesAreNamed() {
        Draw model = Draw.create(TINY, false, 0.01, DType.FLOAT32, new SplittableRandom(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.bound(Tensor.zeros(2, 35), Tensor.zeros(3, 2, 3)));
        assertTrue(e.getMessage().contains("[N, 36]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> model.backward(new double[2]));
    }

    @Test
    void samplesAndCanvasStepsHaveOneFramePerGlimpse() {
        Draw model = Draw.create(TINY, true, 0.3, DType.FLOAT32, new SplittableRandom(1));
        double[][] frames = model.sample(4, new SplittableRandom(2), DType.FLOAT32);
        assertEquals(TINY.glimpses(), frames.length);
        assertEquals(4 * TINY.pixels(), frames[0].length);
        for (double v : frames[TINY.glimpses() - 1]) {
            assertTrue(v > 0 && v < 1);
        }
        model.forward(Tensor.zeros(2, TINY.pixels()), org.weightnorm4j.nn.Mode.TRAIN);
        assertEquals(TINY.glimpses(), model.canvasSteps().length);
    }
}

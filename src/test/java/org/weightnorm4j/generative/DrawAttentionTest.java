package org.weightnorm4j.generative;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DRAW's filter banks, read and write against a direct float64 computation written from the
 * equations one element at a time (Gregor et al. Eq. 19–29, the peer's 1-based coordinates), and
 * their backward against central finite differences, on awkward shapes (non-square images, grids
 * of 2, 3 and 5, attention centred near an edge).
 */
class DrawAttentionTest {

    /** F[i, a] for one axis, straight from the formula. */
    private static double direct(double[] p, int axis, int n, int width, int height, int i, int a) {
        int size = axis == 0 ? width : height;
        double g = (size + 1) / 2.0 * (p[axis] + 1);
        double delta = (Math.max(width, height) - 1.0) / (n - 1) * Math.exp(p[3]);
        double var = Math.exp(p[2]);
        double mu = g + (i + 1 - n / 2.0 - 0.5) * delta;
        double sum = 0;
        for (int b = 1; b <= size; b++) {
            sum += Math.exp(-(b - mu) * (b - mu) / (2 * var));
        }
        return Math.exp(-(a + 1 - mu) * (a + 1 - mu) / (2 * var)) / (sum + 1e-8);
    }

    @ParameterizedTest(name = "n={0}, {1}x{2}")
    @CsvSource({"2, 7, 5", "3, 6, 6", "5, 28, 28", "2, 1, 17"})
    void readAndWriteMatchTheDirectFormulas(int n, int width, int height) {
        SplittableRandom rnd = new SplittableRandom(n * 100L + width);
        int batch = 3;
        double[] p = new double[batch * 5];
        for (int i = 0; i < p.length; i++) {
            p[i] = rnd.nextDouble(-1.2, 1.2);
        }
        p[0] = 0.95;                                                               // near the right edge
        double[] img = new double[batch * width * height];
        for (int i = 0; i < img.length; i++) {
            img[i] = rnd.nextDouble(-1, 1);
        }
        double[] patch = new double[batch * n * n];
        for (int i = 0; i < patch.length; i++) {
            patch[i] = rnd.nextDouble(-1, 1);
        }
        DrawAttention att = new DrawAttention(n, width, height);
        DrawAttention.Banks b = att.newBanks(batch);
        att.filterbanks(p, 0, b);
        double[] glimpse = new double[batch * n * n];
        att.glimpse(b, img, glimpse, 0, n * n);
        double[] canvas = new double[batch * width * height];
        att.write(b, patch, 0, n * n, canvas);
        for (int e = 0; e < batch; e++) {
            double[] pe = java.util.Arrays.copyOfRange(p, 5 * e, 5 * e + 5);
            assertEquals(Math.exp(pe[4]), b.gamma()[e], 1e-15);
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < width; a++) {
                    assertEquals(direct(pe, 0, n, width, height, i, a), b.fx()[(e * n + i) * width + a], 1e-14, "F_X");
                }
                for (int y = 0; y < height; y++) {
                    assertEquals(direct(pe, 1, n, width, height, i, y), b.fy()[(e * n + i) * height + y], 1e-14, "F_Y");
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;                                                   // Σ_y Σ_a F_Y[i,y] x[y,a] F_X[j,a]
                    for (int y = 0; y < height; y++) {
                        for (int a = 0; a < width; a++) {
                            s += direct(pe, 1, n, width, height, i, y) * img[e * width * height + y * width + a]
                                    * direct(pe, 0, n, width, height, j, a);
                        }
                    }
                    assertEquals(s, glimpse[e * n * n + i * n + j], 1e-12, "glimpse");
                }
            }
            for (int y = 0; y < height; y++) {
                for (int a = 0; a < width; a++) {
                    double s = 0;                                                   // (1/γ) Σ_i Σ_j F_Y[i,y] W[i,j] F_X[j,a]
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            s += direct(pe, 1, n, width, height, i, y) * patch[e * n * n + i * n + j]
                                    * direct(pe, 0, n, width, height, j, a);
                        }
                    }
                    assertEquals(s / Math.exp(pe[4]), canvas[e * width * height + y * width + a], 1e-12, "write");
                }
            }
        }
    }

    /** L = Σ r ⊙ γ·glimpse(img) + Σ s ⊙ write(patch): its gradient in p, img and patch against finite differences. */
    @ParameterizedTest(name = "n={0}, {1}x{2}")
    @CsvSource({"2, 7, 5", "3, 6, 6", "5, 9, 8"})
    void backwardMatchesFiniteDifferences(int n, int width, int height) {
        SplittableRandom rnd = new SplittableRandom(7L * n + height);
        int batch = 2, pix = width * height;
        double[] p = rand(rnd, batch * 5, 0.8);
        double[] img = rand(rnd, batch * pix, 1);
        double[] patch = rand(rnd, batch * n * n, 1);
        double[] r = rand(rnd, batch * n * n, 1);
        double[] s = rand(rnd, batch * pix, 1);
        DrawAttention att = new DrawAttention(n, width, height);
        DrawAttention.Banks b = att.newBanks(batch);
        att.filterbanks(p, 0, b);
        double[] glimpse = new double[batch * n * n];
        att.glimpse(b, img, glimpse, 0, n * n);
        double[] dGlimpse = new double[glimpse.length];
        double[] dGamma = new double[batch];
        for (int e = 0; e < batch; e++) {
            for (int k = 0; k < n * n; k++) {
                dGlimpse[e * n * n + k] = r[e * n * n + k] * b.gamma()[e];
                dGamma[e] += r[e * n * n + k] * glimpse[e * n * n + k];
            }
        }
        double[] dFx = new double[batch * n * width];
        double[] dFy = new double[batch * n * height];
        double[] dImg = new double[img.length];
        double[] dPatch = new double[patch.length];
        att.glimpseBackward(b, img, dGlimpse, 0, n * n, dImg, dFx, dFy);
        att.writeBackward(b, patch, 0, n * n, s, dPatch, dFx, dFy, dGamma);
        double[] dp = new double[p.length];
        att.filterbanksBackward(b, dFx, dFy, dGamma, dp, 0);

        java.util.function.Supplier<Double> loss = () -> {
            DrawAttention.Banks bb = att.newBanks(batch);
            att.filterbanks(p, 0, bb);
            double[] gl = new double[batch * n * n];
            att.glimpse(bb, img, gl, 0, n * n);
            double[] cv = new double[batch * pix];
            att.write(bb, patch, 0, n * n, cv);
            double l = 0;
            for (int e = 0; e < batch; e++) {
                for (int k = 0; k < n * n; k++) {
                    l += r[e * n * n + k] * bb.gamma()[e] * gl[e * n * n + k];
                }
            }
            for (int i = 0; i < cv.length; i++) {
                l += s[i] * cv[i];
            }
            return l;
        };
        check("p", p, dp, loss);
        check("img", img, dImg, loss);
        check("patch", patch, dPatch, loss);
    }

    @ParameterizedTest(name = "n={0}")
    @CsvSource({"1", "0"})
    void gridsSmallerThanTwoAreRejected(int n) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DrawAttention(n, 28, 28));
        assertTrue(e.getMessage().contains("2x2"), e.getMessage());
    }

    private static double[] rand(SplittableRandom rnd, int size, double scale) {
        double[] a = new double[size];
        for (int i = 0; i < size; i++) {
            a[i] = rnd.nextDouble(-scale, scale);
        }
        return a;
    }

    private static void check(String what, double[] values, double[] analytic, java.util.function.Supplier<Double> loss) {
        double h = 1e-6;
        for (int i = 0; i < values.length; i++) {
            double keep = values[i];
            values[i] = keep + h;
            double up = loss.get();
            values[i] = keep - h;
            double down = loss.get();
            values[i] = keep;
            double numeric = (up - down) / (2 * h);
            assertEquals(numeric, analytic[i], 1e-6 * (1 + Math.abs(numeric)), what + "[" + i + "]");
        }
    }
}

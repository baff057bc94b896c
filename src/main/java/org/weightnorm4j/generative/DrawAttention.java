package org.weightnorm4j.generative;

/**
 * DRAW's selective attention (Gregor et al. 2015, §3.2): an {@code n × n} grid of Gaussian filters
 * over an {@code A × B} image (width × height), with forward and backward passes for a batch, in
 * double precision (the attention is a small part of the work; the LSTMs' GEMMs are the rest).
 *
 * <p>From five numbers per example, {@code (g̃x, g̃y, log σ², log δ̃, log γ)} (a linear map of the
 * decoder state, Eq. 21), in 1-based pixel coordinates:
 * <pre>
 *   gx = (A+1)/2 (g̃x + 1),   gy = (B+1)/2 (g̃y + 1),   δ = (max(A,B) − 1)/(n − 1) · δ̃     (Eq. 22–24)
 *   μx_i = gx + (i − n/2 − 0.5) δ,   μy_j = gy + (j − n/2 − 0.5) δ,   i, j = 1..n         (Eq. 19–20)
 *   F_X[i, a] = exp(−(a − μx_i)² / 2σ²) / Z_X,i,   a = 1..A    (Z: the row's sum, + 1e-8)  (Eq. 25–26)
 *   read:  γ · F_Y x F_Xᵀ  (an n × n glimpse)                                                 (Eq. 27)
 *   write: (1/γ) F_Yᵀ w F_X  (an n × n patch onto the A × B canvas)                           (Eq. 29)
 * </pre>
 * exactly as the peer's {@code filterbank} ({@code ../shared/bench/torch_lstm_peer.py}) computes
 * them, the 1e-8 included. Images are row-major {@code [B rows (y), A columns (x)]}.
 *
 * <p>One {@link Banks} holds a step's filters for the whole batch and what their backward needs.
 */
public final class DrawAttention {
    /** Added to each filter's sum before normalizing, as the peer does (a filter far outside the image sums to ~0). */
    public static final double EPSILON = 1e-8;

    private final int n;
    private final int width;
    private final int height;

    /** An {@code n × n} attention over images {@code width × height}; {@code n ≥ 2}. */
    public DrawAttention(int n, int width, int height) {
        if (n < 2) {
            throw new IllegalArgumentException("DRAW attention: the grid must be at least 2x2 (δ divides by n − 1), got " + n);
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("DRAW attention: image " + width + "x" + height);
        }
        this.n = n;
        this.width = width;
        this.height = height;
    }

    public int n() {
        return n;
    }

    /** The share of the image's longer side that {@link #digitBoxParameters} covers: MNIST's 20-pixel digit box in 28. */
    public static final double DIGIT_BOX = 20.0 / 28.0;

    /**
     * The five attention parameters {@code (g̃x, g̃y, log σ², log δ̃, log γ)} that put this grid over
     * the centre of the image: centred ({@code g̃ = 0}), {@code n} filters spaced
     * {@code δ = DIGIT_BOX · max(A, B) / n} apart (so the grid spans the digit box, one filter per
     * cell of width δ), each with {@code σ = δ/2} (the filters cover their cells instead of sampling
     * single pixels), {@code γ = 1}. Used as the read attention's <b>bias initialisation</b> when asked
     * for (a departure from the paper's implementation and the peer, whose biases start at zero:
     * {@code δ̃ = 1}, σ = 1, which for a 2×2 read puts the two filters on the blank image border).
     */
    public double[] digitBoxParameters() {
        int longest = Math.max(width, height);
        double delta = DIGIT_BOX * longest / n;
        double deltaTilde = delta * (n - 1) / (longest - 1);                     // δ = (max(A,B) − 1)/(n − 1) · δ̃
        return new double[] {0, 0, 2 * Math.log(delta / 2), Math.log(deltaTilde), 0};
    }

    /** One step's filter banks for a batch: {@code fx [b, n, A]}, {@code fy [b, n, B]}, {@code γ}, and the derived quantities. */
    public final class Banks {
        final int batch;
        final double[] fx;
        final double[] fy;
        final double[] gamma;
        final double[] var;
        final double[] delta;
        final double[] muX;
        final double[] muY;
        final double[] zX;
        final double[] zY;
        /** Unnormalized filters {@code exp(...)}, kept for backward. */
        final double[] ex;
        final double[] ey;

        Banks(int batch) {
            this.batch = batch;
            fx = new double[batch * n * width];
            fy = new double[batch * n * height];
            ex = new double[fx.length];
            ey = new double[fy.length];
            gamma = new double[batch];
            var = new double[batch];
            delta = new double[batch];
            muX = new double[batch * n];
            muY = new double[batch * n];
            zX = new double[batch * n];
            zY = new double[batch * n];
        }

        /** {@code F_X} of example {@code e}, {@code [n, A]} from {@code e·n·A}. */
        public double[] fx() {
            return fx;
        }

        public double[] fy() {
            return fy;
        }

        public double[] gamma() {
            return gamma;
        }
    }

    /** A buffer for {@code batch} examples' banks (reuse it step after step only when the old one is no longer needed). */
    public Banks newBanks(int batch) {
        return new Banks(batch);
    }

    /** The banks from {@code p [b, 5]} (row-major, from {@code pOff}). */
    public void filterbanks(double[] p, int pOff, Banks out) {
        double centreScale = (Math.max(width, height) - 1.0) / (n - 1);
        for (int e = 0; e < out.batch; e++) {
            int q = pOff + 5 * e;
            double gx = (width + 1) / 2.0 * (p[q] + 1);
            double gy = (height + 1) / 2.0 * (p[q + 1] + 1);
            double var = Math.exp(p[q + 2]);
            double delta = centreScale * Math.exp(p[q + 3]);
            out.var[e] = var;
            out.delta[e] = delta;
            out.gamma[e] = Math.exp(p[q + 4]);
            bank(gx, delta, var, width, out.ex, out.fx, out.muX, out.zX, e);
            bank(gy, delta, var, height, out.ey, out.fy, out.muY, out.zY, e);
        }
    }

    private void bank(double g, double delta, double var, int size, double[] raw, double[] f, double[] mu, double[] z, int e) {
        for (int i = 0; i < n; i++) {
            double centre = g + (i + 1 - n / 2.0 - 0.5) * delta;
            mu[e * n + i] = centre;
            int row = (e * n + i) * size;
            double sum = 0;
            for (int a = 0; a < size; a++) {
                double d = a + 1 - centre;
                double v = Math.exp(-d * d / (2 * var));
                raw[row + a] = v;
                sum += v;
            }
            double zz = sum + EPSILON;
            z[e * n + i] = zz;
            for (int a = 0; a < size; a++) {
                f[row + a] = raw[row + a] / zz;
            }
        }
    }

    /**
     * Backward through {@link #filterbanks}: given {@code ∂F_X}, {@code ∂F_Y} (laid out as the
     * banks) and {@code ∂γ [b]}, accumulates {@code ∂p [b, 5]} from {@code dpOff}.
     */
    public void filterbanksBackward(Banks b, double[] dFx, double[] dFy, double[] dGamma, double[] dp, int dpOff) {
        double centreScale = (Math.max(width, height) - 1.0) / (n - 1);
        for (int e = 0; e < b.batch; e++) {
            double var = b.var[e];
            double[] gx = bankBackward(b.ex, b.fx, b.muX, b.zX, dFx, var, width, e);
            double[] gy = bankBackward(b.ey, b.fy, b.muY, b.zY, dFy, var, height, e);
            int q = dpOff + 5 * e;
            dp[q] += gx[0] * (width + 1) / 2.0;                                    // ∂g̃x
            dp[q + 1] += gy[0] * (height + 1) / 2.0;                               // ∂g̃y
            dp[q + 2] += (gx[1] + gy[1]) * var;                                     // ∂ log σ²
            dp[q + 3] += (gx[2] + gy[2]) * b.delta[e];                              // ∂ log δ̃ (δ = c·e^{log δ̃})
            dp[q + 4] += dGamma[e] * b.gamma[e];                                    // ∂ log γ
        }
    }

    /** {@code [∂g, ∂σ², ∂δ]} of one example's bank along one axis. */
    private double[] bankBackward(double[] raw, double[] f, double[] mu, double[] z, double[] dF, double var, int size, int e) {
        double dg = 0, dVar = 0, dDelta = 0;
        for (int i = 0; i < n; i++) {
            int row = (e * n + i) * size;
            double dot = 0;
            for (int a = 0; a < size; a++) {
                dot += dF[row + a] * f[row + a];
            }
            double zz = z[e * n + i], centre = mu[e * n + i], dMu = 0;
            for (int a = 0; a < size; a++) {
                double dRaw = (dF[row + a] - dot) / zz;                             // through the normalization
                double d = a + 1 - centre;
                double t = dRaw * raw[row + a];
                dMu += t * d / var;                                                 // ∂/∂μ of exp(−d²/2σ²)
                dVar += t * d * d / (2 * var * var);                                // ∂/∂σ²
            }
            dg += dMu;
            dDelta += dMu * (i + 1 - n / 2.0 - 0.5);
        }
        return new double[] {dg, dVar, dDelta};
    }

    /** {@code out[e] = F_Y img_e F_Xᵀ} ({@code [n, n]}) for every example; {@code img [b, B, A]}. No γ. */
    public void glimpse(Banks b, double[] img, double[] out, int outOff, int outStride) {
        double[] tmp = new double[n * width];
        for (int e = 0; e < b.batch; e++) {
            fyTimes(b, e, img, e * height * width, tmp);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    int fr = (e * n + j) * width;
                    for (int a = 0; a < width; a++) {
                        s += tmp[i * width + a] * b.fx[fr + a];
                    }
                    out[outOff + e * outStride + i * n + j] = s;
                }
            }
        }
    }

    /**
     * Backward of {@link #glimpse}: given {@code ∂out}, accumulates {@code ∂F_X}, {@code ∂F_Y} and,
     * when {@code dImg} is not null, {@code ∂img}.
     */
    public void glimpseBackward(Banks b, double[] img, double[] dOut, int dOff, int dStride,
                                double[] dImg, double[] dFx, double[] dFy) {
        double[] tmp = new double[n * width];
        double[] dTmp = new double[n * width];
        for (int e = 0; e < b.batch; e++) {
            int im = e * height * width;
            fyTimes(b, e, img, im, tmp);
            java.util.Arrays.fill(dTmp, 0);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double g = dOut[dOff + e * dStride + i * n + j];
                    if (g == 0) {
                        continue;
                    }
                    int fr = (e * n + j) * width;
                    for (int a = 0; a < width; a++) {
                        dFx[fr + a] += g * tmp[i * width + a];                     // ∂F_X = ∂outᵀ (F_Y img)
                        dTmp[i * width + a] += g * b.fx[fr + a];                    // ∂(F_Y img) = ∂out F_X
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                int fr = (e * n + i) * height;
                for (int y = 0; y < height; y++) {
                    double s = 0, fyv = b.fy[fr + y];
                    int row = im + y * width;
                    for (int a = 0; a < width; a++) {
                        s += dTmp[i * width + a] * img[row + a];
                        if (dImg != null) {
                            dImg[row + a] += fyv * dTmp[i * width + a];             // ∂img = F_Yᵀ ∂(F_Y img)
                        }
                    }
                    dFy[fr + y] += s;                                               // ∂F_Y = ∂(F_Y img) imgᵀ
                }
            }
        }
    }

    /** {@code tmp [n, A] = F_Y img} for example {@code e}. */
    private void fyTimes(Banks b, int e, double[] img, int im, double[] tmp) {
        java.util.Arrays.fill(tmp, 0);
        for (int i = 0; i < n; i++) {
            int fr = (e * n + i) * height;
            for (int y = 0; y < height; y++) {
                double f = b.fy[fr + y];
                if (f == 0) {
                    continue;
                }
                int row = im + y * width;
                for (int a = 0; a < width; a++) {
                    tmp[i * width + a] += f * img[row + a];
                }
            }
        }
    }

    /** {@code canvas[e] += (1/γ) F_Yᵀ patch_e F_X}; {@code patch [b, n, n]} from {@code pOff} with row stride {@code pStride}. */
    public void write(Banks b, double[] patch, int pOff, int pStride, double[] canvas) {
        double[] tmp = new double[n * width];
        for (int e = 0; e < b.batch; e++) {
            patchTimesFx(b, e, patch, pOff + e * pStride, tmp);
            double inv = 1 / b.gamma[e];
            int im = e * height * width;
            for (int i = 0; i < n; i++) {
                int fr = (e * n + i) * height;
                for (int y = 0; y < height; y++) {
                    double f = b.fy[fr + y] * inv;
                    int row = im + y * width;
                    for (int a = 0; a < width; a++) {
                        canvas[row + a] += f * tmp[i * width + a];
                    }
                }
            }
        }
    }

    /**
     * Backward of {@link #write} given {@code ∂canvas}: accumulates {@code ∂patch}, {@code ∂F_X},
     * {@code ∂F_Y} and {@code ∂γ}.
     */
    public void writeBackward(Banks b, double[] patch, int pOff, int pStride, double[] dCanvas,
                              double[] dPatch, double[] dFx, double[] dFy, double[] dGamma) {
        double[] tmp = new double[n * width];
        double[] dTmp = new double[n * width];
        for (int e = 0; e < b.batch; e++) {
            int po = pOff + e * pStride;
            patchTimesFx(b, e, patch, po, tmp);
            double inv = 1 / b.gamma[e];
            int im = e * height * width;
            java.util.Arrays.fill(dTmp, 0);
            double dInv = 0;
            for (int i = 0; i < n; i++) {
                int fr = (e * n + i) * height;
                for (int y = 0; y < height; y++) {
                    int row = im + y * width;
                    double s = 0, f = b.fy[fr + y];
                    for (int a = 0; a < width; a++) {
                        double d = dCanvas[row + a];
                        s += d * tmp[i * width + a];
                        dTmp[i * width + a] += f * d;
                    }
                    dFy[fr + y] += s * inv;                                          // ∂F_Y = (1/γ) (patch F_X) ∂cᵀ
                    dInv += f * s;                                                  // ∂(1/γ) = Σ (F_Yᵀ patch F_X) ⊙ ∂c
                }
            }
            dGamma[e] += -dInv * inv * inv;
            for (int i = 0; i < n; i++) {                                          // through tmp = patch F_X, scaled by 1/γ
                for (int j = 0; j < n; j++) {
                    int fr = (e * n + j) * width;
                    double s = 0, pv = patch[po + i * n + j];
                    for (int a = 0; a < width; a++) {
                        double d = dTmp[i * width + a] * inv;
                        s += d * b.fx[fr + a];
                        dFx[fr + a] += pv * d;
                    }
                    dPatch[po + i * n + j] += s;
                }
            }
        }
    }

    /** {@code tmp [n, A] = patch_e F_X}. */
    private void patchTimesFx(Banks b, int e, double[] patch, int po, double[] tmp) {
        java.util.Arrays.fill(tmp, 0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double pv = patch[po + i * n + j];
                int fr = (e * n + j) * width;
                for (int a = 0; a < width; a++) {
                    tmp[i * width + a] += pv * b.fx[fr + a];
                }
            }
        }
    }
}

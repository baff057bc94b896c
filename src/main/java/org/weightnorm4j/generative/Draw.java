package org.weightnorm4j.generative;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;
import org.weightnorm4j.nn.Buffers;
import org.weightnorm4j.nn.Container;
import org.weightnorm4j.nn.Initializers;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.LinearWeights;
import org.weightnorm4j.nn.LstmCell;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.nn.PlainWeights;
import org.weightnorm4j.nn.RandomStreams;
import org.weightnorm4j.nn.StepDense;
import org.weightnorm4j.nn.StepLayer;
import org.weightnorm4j.norm.WeightNorm;
import org.weightnorm4j.tensor.DType;
import org.weightnorm4j.tensor.Tensor;

/**
 * DRAW (Gregor et al. 2015) with attention, as Salimans &amp; Kingma §5.3 trained it and as the peer
 * ({@code ../shared/bench/torch_lstm_peer.py --workload draw}) computes it, with an explicit backward
 * pass through every glimpse. For {@code t = 1..T}, from zero states and a zero canvas:
 * <pre>
 *   x̂_t   = x − σ(c_{t−1})
 *   r_t   = read(x, x̂_t, h_dec_{t−1}) = γ [F_Y x F_Xᵀ, F_Y x̂_t F_Xᵀ]       attention from read_att(h_dec_{t−1})
 *   h_enc = enc([r_t, h_dec_{t−1}])                                        LSTMCell(2N_r² + H, H)
 *   μ, log σ = q(h_enc);   z_t = μ + σ ε,  ε ~ N(0, I)                      Linear(H, 2Z)
 *   h_dec = dec(z_t)                                                       LSTMCell(Z, H)
 *   c_t   = c_{t−1} + (1/γ) F_Yᵀ write_w(h_dec) F_X                         attention from write_att(h_dec)
 *   bound = Σ_pixels BCE-with-logits(c_T, x) + Σ_t KL(N(μ_t, σ_t²) ‖ N(0, I))
 * </pre>
 * (the negative ELBO in nats per image: the reconstruction term {@code L^x} plus the latent loss
 * {@code L^z} of Gregor et al. Eq. 9–12). The attention is {@link DrawAttention}.
 *
 * <p><b>Without attention</b> ({@link DrawConfig#readAttention()} or {@link DrawConfig#writeAttention()}
 * false: Gregor et al. §3.2's baseline), the read is {@code r_t = [x, x̂_t]}, the whole image and the
 * whole error image, and there is no {@code read_att}; the write is {@code c_t = c_{t−1} + write_w(h_dec)}
 * with {@code write_w = Linear(H, P)}, and there is no {@code write_att}.
 *
 * <p><b>Modules</b>, named as the peer's attributes, so state-dict names match:
 * {@code enc}, {@code dec} ({@link LstmCell}: {@code weight_ih}, {@code weight_hh}, {@code bias_ih},
 * {@code bias_hh}), {@code q}, {@code read_att}, {@code write_att}, {@code write_w}
 * ({@link StepDense}: {@code weight}, {@code bias}). With weight norm every one of those weights
 * becomes {@code _g}/{@code _v} over dim 0 (one norm per gate row of the LSTMs).
 *
 * <p><b>Backward.</b> From the last glimpse to the first: the canvas gradient (σ(c_T) − x at the end,
 * plus what each error image x̂_t sends back to c_{t−1}) goes into the write; the decoder's state
 * gradient collects the write's and, from the next step, the read attention's and the encoder's
 * input; the KL's gradient joins the reparameterization's on μ and log σ. Each module's weight
 * gradient is one GEMM over all glimpses at the end ({@link LstmCell#finishBackward},
 * {@link StepDense#finishBackward}).
 *
 * <p>As a {@link Layer}, {@code forward(x)} returns each example's two terms {@code [N, 2]}
 * (reconstruction, KL) with noise from a counter-based stream ({@link #setNoise}), and
 * {@code backward(dy)} takes their gradients: {@link DrawBoundObjective} makes the bound of them, so
 * that DRAW trains through the library's one training step ({@code train.TrainStep}). Data-dependent initialisation does not apply (the paper: not to LSTMs), so
 * {@link #forwardThrough} is not supported.
 */
public final class Draw implements Container {
    private final DrawConfig config;
    private final LstmCell enc;
    private final LstmCell dec;
    private final StepDense q;
    private final StepDense readAtt;             // null without read attention
    private final StepDense writeAtt;            // null without write attention
    private final StepDense writeW;
    private final DrawAttention reader;          // null without read attention
    private final DrawAttention writer;          // null without write attention

    private long noiseSeed = 1;
    private long noiseCalls;

    // ---- the last forward pass
    private int batch;
    private int steps;
    private double[] x;              // [N, P]
    private double[] canvas;         // [N, P] c_T
    private double[][] sig;          // σ(c_t), t = 0..T, each [N, P]
    private DrawAttention.Banks[] readBanks;
    private DrawAttention.Banks[] writeBanks;
    private double[][] glimpses;     // per step [N, 2 n_r²], without γ (unused without read attention)
    private double[][] patches;      // per step [N, n_w²] (or [N, P] without write attention)
    private double[][] qOut;         // per step [N, 2Z]: μ, log σ
    private double[] eps;            // [T, N, Z]
    private double[] rec;
    private double[] kl;
    private Tensor like;
    private Tensor out;
    private Tensor noise;

    /**
     * A DRAW model with these modules (shapes checked against {@code config}); {@code readAtt} is null
     * exactly when the config has no read attention, {@code writeAtt} when it has no write attention.
     */
    public Draw(DrawConfig config, LstmCell enc, LstmCell dec, StepDense q, StepDense readAtt, StepDense writeAtt, StepDense writeW) {
        this.config = config;
        int h = config.hidden();
        check("enc", enc.inputSize() == config.readSize() + h && enc.hiddenSize() == h, enc.describe(),
                "LSTMCell(" + (config.readSize() + h) + "->" + h + ")");
        check("dec", dec.inputSize() == config.latent() && dec.hiddenSize() == h, dec.describe(),
                "LSTMCell(" + config.latent() + "->" + h + ")");
        check("q", q.in() == h && q.out() == 2 * config.latent(), q.describe(), "Linear(" + h + ", " + 2 * config.latent() + ")");
        checkAttention("read_att", config.readAttention(), readAtt, h);
        checkAttention("write_att", config.writeAttention(), writeAtt, h);
        int w2 = config.writeSize();
        check("write_w", writeW.in() == h && writeW.out() == w2, writeW.describe(), "Linear(" + h + ", " + w2 + ")");
        this.enc = enc;
        this.dec = dec;
        this.q = q;
        this.readAtt = readAtt;
        this.writeAtt = writeAtt;
        this.writeW = writeW;
        this.reader = config.readAttention() ? new DrawAttention(config.readN(), config.width(), config.height()) : null;
        this.writer = config.writeAttention() ? new DrawAttention(config.writeN(), config.width(), config.height()) : null;
    }

    private static void checkAttention(String name, boolean wanted, StepDense m, int h) {
        if (wanted) {
            check(name, m != null && m.in() == h && m.out() == 5, m == null ? "missing" : m.describe(), "Linear(" + h + ", 5)");
        } else if (m != null) {
            throw new IllegalArgumentException("DRAW: the configuration has no " + (name.startsWith("read") ? "read" : "write")
                    + " attention (grid 0), so there is no module " + name + ", but one was given: " + m.describe());
        }
    }

    private static void check(String name, boolean ok, String got, String want) {
        if (!ok) {
            throw new IllegalArgumentException("DRAW: module " + name + " must be " + want + " but is " + got);
        }
    }

    /**
     * A new model: every weight Gaussian with standard deviation {@code std} (0.01 in the paper's
     * setup), every bias zero; with {@code weightNorm}, every weight then re-parameterized as
     * {@code g v/||v||} over dim 0 with {@code v = w}, {@code g = ||w||}, so both parameterizations
     * start from the same function (no data-dependent initialisation: it does not apply to LSTMs).
     */
    public static Draw create(DrawConfig config, boolean weightNorm, double std, DType dtype, RandomGenerator rng) {
        int h = config.hidden(), g4 = 4 * h;
        LstmCell enc = new LstmCell(new PlainWeights(LstmCell.WEIGHT_IH, normal(dtype, std, rng, g4, config.readSize() + h), null),
                new PlainWeights(LstmCell.WEIGHT_HH, normal(dtype, std, rng, g4, h), null),
                Tensor.zeros(dtype, g4), Tensor.zeros(dtype, g4));
        LstmCell dec = new LstmCell(new PlainWeights(LstmCell.WEIGHT_IH, normal(dtype, std, rng, g4, config.latent()), null),
                new PlainWeights(LstmCell.WEIGHT_HH, normal(dtype, std, rng, g4, h), null),
                Tensor.zeros(dtype, g4), Tensor.zeros(dtype, g4));
        StepDense q = linear(dtype, std, rng, 2 * config.latent(), h);
        StepDense readAtt = config.readAttention() ? linear(dtype, std, rng, 5, h) : null;
        StepDense writeAtt = config.writeAttention() ? linear(dtype, std, rng, 5, h) : null;
        Draw model = new Draw(config, enc, dec, q, readAtt, writeAtt, linear(dtype, std, rng, config.writeSize(), h));
        if (!weightNorm) {
            return model;
        }
        for (String name : LstmCell.WEIGHT_NAMES) {
            model = WeightNorm.apply(model, name, WeightNorm.PER_UNIT);
        }
        return WeightNorm.apply(model, WeightNorm.PER_UNIT);
    }

    private static Tensor normal(DType dtype, double std, RandomGenerator rng, int... shape) {
        Tensor t = Tensor.zeros(dtype, shape);
        Initializers.normal(t, std, rng);
        return t;
    }

    private static StepDense linear(DType dtype, double std, RandomGenerator rng, int out, int in) {
        return new StepDense(new PlainWeights(normal(dtype, std, rng, out, in), Tensor.zeros(dtype, out)));
    }

    public DrawConfig config() {
        return config;
    }

    /**
     * Sets the read attention's bias to {@link DrawAttention#digitBoxParameters}: the read grid starts
     * over the centre of the image (the digit) rather than, as with the paper's zero biases, with a 2×2
     * grid's filters on the blank border. A departure from the paper and the peer, chosen per run
     * ({@code --read-init digit}); the weights are untouched, so with weight norm too it changes only
     * the starting attention. Needs read attention.
     */
    public void initReadOverDigit() {
        if (readAtt == null) {
            throw new IllegalStateException(describe() + ": has no read attention (read 0), so no read grid to place");
        }
        Tensor bias = readAtt.weights().bias().value();
        double[] p = reader.digitBoxParameters();
        for (int i = 0; i < p.length; i++) {
            bias.set(i, p[i]);
        }
    }

    /**
     * Noise for {@link #forward(Tensor, Mode)}: the next call draws ε from
     * {@code RandomStreams.forCall(seed, call)}, the one after from {@code call + 1}, and so on.
     */
    public void setNoise(long seed, long call) {
        this.noiseSeed = seed;
        this.noiseCalls = call;
    }

    /** Fills {@code ε [T, N, Z]} with standard normals from {@code rng}, step by step, example by example. */
    public static void drawNoise(Tensor eps, RandomGenerator rng) {
        for (int i = 0; i < eps.size(); i++) {
            eps.set(i, rng.nextGaussian());
        }
    }

    /**
     * Each image's two terms, {@code [N, 2]} = (reconstruction, KL) in nats, with fresh noise
     * ({@link #setNoise}); {@link DrawBoundObjective} sums them into the bound.
     */
    @Override
    public Tensor forward(Tensor x, Mode mode) {
        noise = Buffers.ensure(noise, x, config.glimpses(), x.dim(0), config.latent());
        drawNoise(noise, RandomStreams.forCall(noiseSeed, noiseCalls++));
        bound(x, noise);
        out = Buffers.ensure(out, x, x.dim(0), 2);
        for (int n = 0; n < batch; n++) {
            out.set(2 * n, rec[n]);
            out.set(2 * n + 1, kl[n]);
        }
        return out;
    }

    /**
     * The forward pass over all glimpses for {@code x [N, P]} (binary pixels, row-major images) with
     * the noise {@code ε [T, N, Z]}; returns each example's bound (reconstruction + KL, nats) and keeps
     * what {@link #backward(double[])} needs.
     */
    public Bound bound(Tensor images, Tensor noise) {
        int pix = config.pixels(), z = config.latent(), h = config.hidden(), t4 = config.glimpses();
        if (images.rank() != 2 || images.dim(1) != pix) {
            throw new IllegalArgumentException(describe() + ": expected images [N, " + pix + "] (flattened "
                    + config.height() + "x" + config.width() + ") but got " + Arrays.toString(images.shape()));
        }
        int n = images.dim(0);
        noise.requireShape(describe() + " noise ε", t4, n, z);
        allocate(n, images);
        toDoubles(images, x);
        toDoubles(noise, eps);
        Arrays.fill(canvas, 0);
        Arrays.fill(sig[0], 0.5);                                                 // σ(c_0) = σ(0)
        double[] xhat = new double[n * pix];
        double[] xr = new double[n * config.readSize()];
        Tensor encIn = images.zerosLike(n, config.readSize() + h);
        Tensor zt = images.zerosLike(n, z);
        Tensor hPrev = images.zerosLike(n, h);                                      // h_dec_{−1} = 0
        double[] p = new double[n * 5];
        Arrays.fill(kl, 0);
        for (StepLayer l : modules()) {
            l.begin(t4, n, images);
        }
        int nr2 = config.readN() * config.readN(), rs = config.readSize(), ws = config.writeSize();
        for (int t = 0; t < t4; t++) {
            double[] s = sig[t];
            for (int i = 0; i < n * pix; i++) {
                xhat[i] = x[i] - s[i];                                              // x̂_t = x − σ(c_{t−1})
            }
            if (reader == null) {
                for (int e = 0; e < n; e++) {                                       // r_t = [x, x̂_t], no attention
                    System.arraycopy(x, e * pix, xr, e * rs, pix);
                    System.arraycopy(xhat, e * pix, xr, e * rs + pix, pix);
                }
            } else {
                toDoubles(readAtt.step(t, hPrev), p);
                DrawAttention.Banks rb = readBanks[t];
                reader.filterbanks(p, 0, rb);
                reader.glimpse(rb, x, glimpses[t], 0, rs);
                reader.glimpse(rb, xhat, glimpses[t], nr2, rs);
                for (int e = 0; e < n; e++) {
                    for (int k = 0; k < rs; k++) {
                        xr[e * rs + k] = rb.gamma[e] * glimpses[t][e * rs + k];      // r_t = γ [glimpse(x), glimpse(x̂)]
                    }
                }
            }
            setRows(encIn, xr, rs, hPrev);
            Tensor hEnc = enc.step(t, encIn);
            double[] mq = qOut[t];
            toDoubles(q.step(t, hEnc), mq);
            for (int e = 0; e < n; e++) {
                for (int j = 0; j < z; j++) {
                    double mu = mq[e * 2 * z + j], logSigma = mq[e * 2 * z + z + j], sigma = Math.exp(logSigma);
                    zt.set(e * z + j, mu + sigma * eps[(t * n + e) * z + j]);          // z_t = μ + σ ε
                    kl[e] += 0.5 * (mu * mu + sigma * sigma - 1) - logSigma;
                }
            }
            Tensor hDec = dec.step(t, zt);
            toDoubles(writeW.step(t, hDec), patches[t]);
            if (writer == null) {
                addTo(patches[t], canvas);                                          // c_t = c_{t−1} + write_w(h_dec)
            } else {
                toDoubles(writeAtt.step(t, hDec), p);
                DrawAttention.Banks wb = writeBanks[t];
                writer.filterbanks(p, 0, wb);
                writer.write(wb, patches[t], 0, ws, canvas);
            }
            double[] next = sig[t + 1];
            for (int i = 0; i < n * pix; i++) {
                next[i] = BernoulliLogits.sigmoid(canvas[i]);
            }
            hPrev = hDec;
        }
        for (int e = 0; e < n; e++) {
            double r = 0;
            for (int i = e * pix; i < (e + 1) * pix; i++) {
                r += BernoulliLogits.softplus(canvas[i]) - x[i] * canvas[i];          // BCE with logits
            }
            rec[e] = r;
        }
        steps = t4;
        return new Bound(rec.clone(), kl.clone());
    }

    /** Each example's bound and its two terms (nats). */
    public record Bound(double[] reconstruction, double[] kl) {
        public double mean() {
            double s = 0;
            for (int i = 0; i < kl.length; i++) {
                s += reconstruction[i] + kl[i];
            }
            return s / kl.length;
        }

        public double meanReconstruction() {
            return Arrays.stream(reconstruction).average().orElse(Double.NaN);
        }

        public double meanKl() {
            return Arrays.stream(kl).average().orElse(Double.NaN);
        }
    }

    /** Given {@code ∂L/∂[reconstruction_n, KL_n]} ({@code [N, 2]}), backward through every glimpse; the images get no gradient (null). */
    @Override
    public Tensor backward(Tensor dy) {
        dy.requireShape(describe() + " gradient of (reconstruction, KL)", batch, 2);
        double[] wRec = new double[batch], wKl = new double[batch];
        for (int n = 0; n < batch; n++) {
            wRec[n] = dy.get(2 * n);
            wKl[n] = dy.get(2 * n + 1);
        }
        backward(wRec, wKl);
        return null;
    }

    /** {@link #backward(double[], double[])} with the same weight on both terms: the loss {@code Σ_n weight[n] · bound_n}. */
    public void backward(double[] weight) {
        backward(weight, weight);
    }

    /**
     * Backward through every glimpse of the last {@link #bound}, for the loss
     * {@code Σ_n (wRec[n] · reconstruction_n + wKl[n] · KL_n)} (the batch mean of the bound:
     * {@code 1/N} each); accumulates every parameter's gradient. The images get no gradient.
     */
    public void backward(double[] wRec, double[] wKl) {
        if (x == null || steps == 0) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        if (wRec.length != batch || wKl.length != batch) {
            throw new IllegalArgumentException(describe() + ": " + wRec.length + " and " + wKl.length + " weights for a batch of " + batch);
        }
        int n = batch, pix = config.pixels(), z = config.latent(), h = config.hidden();
        int rs = config.readSize(), nr2 = config.readN() * config.readN(), nw2 = config.writeSize();
        double[] dCanvas = new double[n * pix];
        for (int e = 0; e < n; e++) {
            for (int i = e * pix; i < (e + 1) * pix; i++) {
                dCanvas[i] = wRec[e] * (sig[steps][i] - x[i]);                    // ∂BCE/∂c_T = σ(c_T) − x
            }
        }
        Tensor dhDecNext = like.zerosLike(n, h);                                  // ∂h_dec_t from step t+1
        Tensor dhDec = like.zerosLike(n, h);
        Tensor dq = like.zerosLike(n, 2 * z);
        Tensor dp = like.zerosLike(n, 5);
        Tensor dPatchT = like.zerosLike(n, nw2);
        double[] dPatch = new double[n * nw2];
        double[] dp5 = new double[n * 5];
        double[] dFxW = new double[n * config.writeN() * config.width()];       // empty without attention
        double[] dFyW = new double[n * config.writeN() * config.height()];
        double[] dFxR = new double[n * config.readN() * config.width()];
        double[] dFyR = new double[n * config.readN() * config.height()];
        double[] dGamma = new double[n];
        double[] dGlimpse = new double[n * rs];
        double[] dXhat = new double[n * pix];
        double[] xhat = new double[n * pix];
        for (int t = steps - 1; t >= 0; t--) {
            // write: c_t = c_{t−1} + (1/γ) F_Yᵀ W F_X (or + W without attention); ∂c_t is dCanvas
            dhDec.copyFrom(dhDecNext);
            if (writer == null) {
                fromDoubles(dCanvas, dPatchT);                                      // ∂W = ∂c_t
            } else {
                Arrays.fill(dPatch, 0);
                Arrays.fill(dFxW, 0);
                Arrays.fill(dFyW, 0);
                Arrays.fill(dGamma, 0);
                Arrays.fill(dp5, 0);
                DrawAttention.Banks wb = writeBanks[t];
                writer.writeBackward(wb, patches[t], 0, nw2, dCanvas, dPatch, dFxW, dFyW, dGamma);
                writer.filterbanksBackward(wb, dFxW, dFyW, dGamma, dp5, 0);
                fromDoubles(dp5, dp);
                addInto(writeAtt.backwardStep(t, dp), dhDec);
                fromDoubles(dPatch, dPatchT);
            }
            addInto(writeW.backwardStep(t, dPatchT), dhDec);
            Tensor dz = dec.backwardStep(t, dhDec);
            double[] mq = qOut[t];
            for (int e = 0; e < n; e++) {
                for (int j = 0; j < z; j++) {
                    double mu = mq[e * 2 * z + j], sigma = Math.exp(mq[e * 2 * z + z + j]);
                    double g = dz.get(e * z + j);
                    dq.set(e * 2 * z + j, g + wKl[e] * mu);                                       // ∂μ: z and KL
                    dq.set(e * 2 * z + z + j, g * sigma * eps[(t * n + e) * z + j] + wKl[e] * (sigma * sigma - 1)); // ∂ log σ
                }
            }
            Tensor dEncIn = enc.backwardStep(t, q.backwardStep(t, dq));
            // the encoder's input [r_t, h_dec_{t−1}]
            for (int e = 0; e < n; e++) {
                for (int j = 0; j < h; j++) {
                    dhDecNext.set(e * h + j, dEncIn.get(e * (rs + h) + rs + j));
                }
            }
            double[] s = sig[t];
            if (reader == null) {
                for (int e = 0; e < n; e++) {                                       // r_t = [x, x̂_t]: x̂_t's part
                    for (int i = 0; i < pix; i++) {
                        dXhat[e * pix + i] = dEncIn.get(e * (rs + h) + pix + i);
                    }
                }
            } else {
                readBackward(t, dEncIn, dhDecNext, s, xhat, dGamma, dGlimpse, dFxR, dFyR, dXhat, dp5, dp);
            }
            for (int i = 0; i < n * pix; i++) {
                dCanvas[i] -= dXhat[i] * s[i] * (1 - s[i]);                           // x̂_t = x − σ(c_{t−1})
            }
        }
        for (StepLayer l : modules()) {
            l.finishBackward();
        }
        steps = 0;
    }

    /**
     * The read attention's backward at step {@code t}: from the encoder input's gradient, the error
     * image's ({@code dXhat}, overwritten) and the read parameters' into {@code dhDecNext}
     * ({@code h_dec_{t−1}} made them).
     */
    private void readBackward(int t, Tensor dEncIn, Tensor dhDecNext, double[] s, double[] xhat, double[] dGamma, double[] dGlimpse,
                              double[] dFxR, double[] dFyR, double[] dXhat, double[] dp5, Tensor dp) {
        int n = batch, pix = config.pixels(), h = config.hidden(), rs = config.readSize(), nr2 = config.readN() * config.readN();
        DrawAttention.Banks rb = readBanks[t];
        Arrays.fill(dGamma, 0);
        for (int e = 0; e < n; e++) {
            double gam = rb.gamma[e], dg = 0;
            for (int k = 0; k < rs; k++) {
                double d = dEncIn.get(e * (rs + h) + k);
                dg += d * glimpses[t][e * rs + k];                                 // ∂γ = Σ glimpse ⊙ ∂r
                dGlimpse[e * rs + k] = gam * d;
            }
            dGamma[e] = dg;
        }
        Arrays.fill(dFxR, 0);
        Arrays.fill(dFyR, 0);
        Arrays.fill(dXhat, 0);
        for (int i = 0; i < n * pix; i++) {
            xhat[i] = x[i] - s[i];
        }
        reader.glimpseBackward(rb, x, dGlimpse, 0, rs, null, dFxR, dFyR);
        reader.glimpseBackward(rb, xhat, dGlimpse, nr2, rs, dXhat, dFxR, dFyR);
        Arrays.fill(dp5, 0);
        reader.filterbanksBackward(rb, dFxR, dFyR, dGamma, dp5, 0);
        fromDoubles(dp5, dp);
        addInto(readAtt.backwardStep(t, dp), dhDecNext);                       // read params come from h_dec_{t−1}
    }

    /**
     * {@code σ(c_t)} for {@code t = 1..T} of the last {@link #bound} (each {@code [N, P]}; the
     * model's arrays, valid until the next pass): the canvas being drawn, glimpse by glimpse.
     */
    public double[][] canvasSteps() {
        if (sig == null) {
            throw new IllegalStateException(describe() + ": no forward yet");
        }
        return Arrays.copyOfRange(sig, 1, config.glimpses() + 1);
    }

    /**
     * Generates {@code count} images from the prior: {@code z_t ~ N(0, I)}, the decoder and the write
     * only. Returns {@code σ(c_t)} for {@code t = 1..T}, each {@code [count, P]}.
     */
    public double[][] sample(int count, RandomGenerator rng, DType dtype) {
        int z = config.latent(), pix = config.pixels(), t4 = config.glimpses(), nw2 = config.writeSize();
        Tensor like0 = Tensor.zeros(dtype, count, z);
        dec.begin(t4, count, like0);
        if (writeAtt != null) {
            writeAtt.begin(t4, count, like0);
        }
        writeW.begin(t4, count, like0);
        double[] c = new double[count * pix];
        double[] p = new double[count * 5];
        double[] patch = new double[count * nw2];
        DrawAttention.Banks banks = writer == null ? null : writer.newBanks(count);
        double[][] frames = new double[t4][count * pix];
        Tensor zt = like0.zerosLike(count, z);
        for (int t = 0; t < t4; t++) {
            drawNoise(zt, rng);
            Tensor hDec = dec.step(t, zt);
            toDoubles(writeW.step(t, hDec), patch);
            if (writer == null) {
                addTo(patch, c);
            } else {
                toDoubles(writeAtt.step(t, hDec), p);
                writer.filterbanks(p, 0, banks);
                writer.write(banks, patch, 0, nw2, c);
            }
            for (int i = 0; i < c.length; i++) {
                frames[t][i] = BernoulliLogits.sigmoid(c[i]);
            }
        }
        steps = 0;
        return frames;
    }

    private void allocate(int n, Tensor images) {
        int pix = config.pixels(), t4 = config.glimpses();
        if (x == null || batch != n || like.dtype() != images.dtype()) {
            batch = n;
            x = new double[n * pix];
            canvas = new double[n * pix];
            sig = new double[t4 + 1][n * pix];
            readBanks = new DrawAttention.Banks[t4];
            writeBanks = new DrawAttention.Banks[t4];
            glimpses = new double[t4][reader == null ? 0 : n * config.readSize()];
            patches = new double[t4][n * config.writeSize()];
            qOut = new double[t4][n * 2 * config.latent()];
            for (int t = 0; t < t4; t++) {
                readBanks[t] = reader == null ? null : reader.newBanks(n);
                writeBanks[t] = writer == null ? null : writer.newBanks(n);
            }
            rec = new double[n];
            kl = new double[n];
            eps = new double[t4 * n * config.latent()];
        }
        like = images;
        steps = 0;
    }

    /** A tensor's values as doubles (the attention side of the model works in double precision). */
    private static void toDoubles(Tensor t, double[] out) {
        if (t.isFloat32()) {
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                out[i] = d[i];
            }
        } else {
            System.arraycopy(t.data64(), 0, out, 0, t.size());
        }
    }

    private static void fromDoubles(double[] in, Tensor t) {
        if (t.isFloat32()) {
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) in[i];
            }
        } else {
            System.arraycopy(in, 0, t.data64(), 0, t.size());
        }
    }

    private static void addTo(double[] src, double[] dst) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] += src[i];
        }
    }

    private static void addInto(Tensor src, Tensor dst) {
        for (int i = 0; i < dst.size(); i++) {
            dst.set(i, dst.get(i) + src.get(i));
        }
    }

    /** Row e of {@code dst [N, a + H]} = {@code [left row e (a values), right row e]}. */
    private static void setRows(Tensor dst, double[] left, int a, Tensor right) {
        int h = right.dim(1), width = a + h, n = right.dim(0);
        for (int e = 0; e < n; e++) {
            for (int k = 0; k < a; k++) {
                dst.set(e * width + k, left[e * a + k]);
            }
            for (int j = 0; j < h; j++) {
                dst.set(e * width + a + j, right.get(e * h + j));
            }
        }
    }

    private List<StepLayer> modules() {
        List<StepLayer> m = new ArrayList<>();
        for (Layer l : children().values()) {
            m.add((StepLayer) l);
        }
        return m;
    }

    public LstmCell encoder() {
        return enc;
    }

    public LstmCell decoder() {
        return dec;
    }

    @Override
    public LinkedHashMap<String, Layer> children() {
        LinkedHashMap<String, Layer> c = new LinkedHashMap<>();
        c.put("enc", enc);
        c.put("dec", dec);
        c.put("q", q);
        if (readAtt != null) {
            c.put("read_att", readAtt);
        }
        if (writeAtt != null) {
            c.put("write_att", writeAtt);
        }
        c.put("write_w", writeW);
        return c;
    }

    @Override
    public List<Param> params() {
        List<Param> all = new ArrayList<>();
        for (Layer l : children().values()) {
            all.addAll(l.params());
        }
        return all;
    }

    /** Not supported: DRAW runs each module once per glimpse, and data-dependent initialisation does not apply to it. */
    @Override
    public Tensor forwardThrough(Tensor x, Mode mode, ChildForward hook) {
        throw new UnsupportedOperationException(describe() + " runs each module once per glimpse, so per-module hooks "
                + "(data-dependent initialisation) do not apply; the paper trains DRAW without it");
    }

    @Override
    public Draw mapChildren(UnaryOperator<Layer> f) {
        Draw d = new Draw(config, (LstmCell) f.apply(enc), (LstmCell) f.apply(dec), (StepDense) f.apply(q),
                readAtt == null ? null : (StepDense) f.apply(readAtt), writeAtt == null ? null : (StepDense) f.apply(writeAtt),
                (StepDense) f.apply(writeW));
        d.noiseSeed = noiseSeed;
        d.noiseCalls = noiseCalls;
        return d;
    }

    @Override
    public String describe() {
        LinearWeights w = enc.weightsByName().get(LstmCell.WEIGHT_HH);
        return config + " (" + w.kind() + ")";
    }
}

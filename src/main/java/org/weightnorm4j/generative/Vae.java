package org.weightnorm4j.generative;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.UnaryOperator;
import org.weightnorm4j.nn.Buffers;
import org.weightnorm4j.nn.Container;
import org.weightnorm4j.nn.GaussianLatent;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.Mode;
import org.weightnorm4j.nn.Param;
import org.weightnorm4j.tensor.Tensor;

/**
 * A variational auto-encoder as one model: {@code encoder: x → h = [μ, log σ]}, the reparameterized
 * {@code latent: h → z = μ + σ ⊙ ε}, {@code decoder: z → logits} of {@code p(x | z)}. Its children
 * are named {@code "encoder"}, {@code "latent"}, {@code "decoder"}, as the attributes of a PyTorch
 * module would be ({@code "encoder.0.weight_v"}).
 *
 * <p><b>Output.</b> The objective needs both the decoder's logits and {@code h} (the KL term is a
 * function of {@code h}), so the output is one row per example holding the logits, flattened
 * ({@code P} values), then {@code h} ({@code 2D} values): {@code [N, P + 2D]}, the layout
 * {@link ElboObjective} reads.
 *
 * <p><b>Backward</b>, given {@code ∇out = [∇logits, ∇h_direct]}: the decoder turns {@code ∇logits}
 * into {@code ∇z}, the latent layer turns that into {@code ∇h} through {@code z}, and the gradient
 * the objective put on {@code h} directly (the KL's) is added before the encoder's backward:
 * {@code ∇h = ∂z/∂h ᵀ ∇z + ∇h_direct}.
 */
public final class Vae implements Container {
    private final Layer encoder;
    private final GaussianLatent latent;
    private final Layer decoder;
    private final List<Param> params;

    private int[] logitsShape;
    private Tensor out;
    private Tensor dLogits;
    private Tensor dh;

    public Vae(Layer encoder, GaussianLatent latent, Layer decoder) {
        if (encoder == null || latent == null || decoder == null) {
            throw new IllegalArgumentException("a VAE needs an encoder, a latent layer and a decoder");
        }
        this.encoder = encoder;
        this.latent = latent;
        this.decoder = decoder;
        List<Param> all = new ArrayList<>(encoder.params());
        all.addAll(decoder.params());
        this.params = List.copyOf(all);
    }

    public Layer encoder() {
        return encoder;
    }

    public GaussianLatent latent() {
        return latent;
    }

    public Layer decoder() {
        return decoder;
    }

    @Override
    public LinkedHashMap<String, Layer> children() {
        LinkedHashMap<String, Layer> c = new LinkedHashMap<>();
        c.put("encoder", encoder);
        c.put("latent", latent);
        c.put("decoder", decoder);
        return c;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        return forwardThrough(x, mode, (name, child, input) -> child.forward(input, mode));
    }

    @Override
    public Tensor forwardThrough(Tensor x, Mode mode, ChildForward hook) {
        Tensor h = hook.forward("encoder", encoder, x);
        int n = x.dim(0), twoD = 2 * latent.latent();
        if (h.rank() != 2 || h.dim(0) != n || h.dim(1) != twoD) {
            throw new IllegalArgumentException(describe() + ": the encoder must give [N, " + twoD + "] (μ then log σ), gave "
                    + Arrays.toString(h.shape()));
        }
        Tensor z = hook.forward("latent", latent, h);
        Tensor logits = hook.forward("decoder", decoder, z);
        logitsShape = logits.shape();
        int p = logits.size() / n;
        out = Buffers.ensure(out, logits, n, p + twoD);
        for (int i = 0; i < n; i++) {                                     // row i = [logits_i, h_i]
            for (int j = 0; j < p; j++) {
                out.set(i * (p + twoD) + j, logits.get(i * p + j));
            }
            for (int j = 0; j < twoD; j++) {
                out.set(i * (p + twoD) + p + j, h.get(i * twoD + j));
            }
        }
        return out;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        if (logitsShape == null) {
            throw new IllegalStateException(describe() + ": backward called before forward");
        }
        dOut.requireShape(describe() + " output gradient", out.shape());
        int n = logitsShape[0], twoD = 2 * latent.latent(), p = out.dim(1) - twoD;
        dLogits = Buffers.ensure(dLogits, dOut, logitsShape);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                dLogits.set(i * p + j, dOut.get(i * (p + twoD) + j));
            }
        }
        Tensor dz = decoder.backward(dLogits);
        Tensor throughZ = latent.backward(dz);
        dh = Buffers.ensure(dh, throughZ, n, twoD);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < twoD; j++) {
                int at = i * twoD + j;
                dh.set(at, throughZ.get(at) + dOut.get(i * (p + twoD) + p + j)); // ∇h = ∂z/∂hᵀ ∇z + ∇h_direct
            }
        }
        return encoder.backward(dh);
    }

    @Override
    public List<Param> params() {
        return params;
    }

    @Override
    public Vae mapChildren(UnaryOperator<Layer> f) {
        Layer l = f.apply(latent);
        if (!(l instanceof GaussianLatent g)) {
            throw new IllegalArgumentException(describe() + ": the latent layer must stay a GaussianLatent, got " + l.describe());
        }
        return new Vae(f.apply(encoder), g, f.apply(decoder));
    }

    @Override
    public String describe() {
        return "Vae(encoder: " + encoder.describe().replace("\n", "\n  ") + ", latent: " + latent.describe()
                + ", decoder: " + decoder.describe().replace("\n", "\n  ") + ")";
    }
}

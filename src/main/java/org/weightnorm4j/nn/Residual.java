package org.weightnorm4j.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.UnaryOperator;
import org.weightnorm4j.tensor.Kernels;
import org.weightnorm4j.tensor.Tensor;

/**
 * A residual block (He et al. 2016), {@code y = x + f(x)}, or {@code y = p(x) + f(x)} with a
 * projection {@code p} on the shortcut where {@code f} changes the shape (a 1x1 or strided
 * convolution). {@code f} is any layer, usually a {@link Sequential}.
 *
 * <p>Names, as a PyTorch module with attributes {@code body} and {@code shortcut} would have them:
 * {@code "body.0.weight_v"}, {@code "shortcut.weight"}.
 *
 * <p>Backward: {@code ∇x = ∇f(∇y) + ∇y} (or {@code + ∇p(∇y)}): both branches read the same
 * {@code ∇y}, which layers never change in place. With an identity shortcut and a
 * {@link Sequential} body that starts with an {@link ActivationLayer} (the pre-activation block
 * {@code x + conv(ELU(conv(ELU(x))))}), the {@code + ∇y} is done inside that activation's backward,
 * one pass over memory instead of two, with the same bits ({@link ActivationLayer#backwardPlus}).
 */
public final class Residual implements Container {
    private final Layer body;
    private final Layer shortcut;
    private final List<Param> params;

    private Tensor y;
    private Tensor dx;
    /**
     * The body's first layer when it is an activation and the shortcut is the identity (the VAE's
     * {@code x + conv(ELU(conv(ELU(x))))}): backward then adds {@code ∇y} inside that activation's
     * backward ({@link ActivationLayer#backwardPlus}) instead of in a pass of its own; null otherwise.
     */
    private final ActivationLayer firstActivation;

    /** {@code y = x + body(x)}. */
    public Residual(Layer body) {
        this(body, null);
    }

    /** {@code y = shortcut(x) + body(x)}; {@code shortcut} null means the identity. */
    public Residual(Layer body, Layer shortcut) {
        if (body == null) {
            throw new IllegalArgumentException("a residual block needs a body f in y = x + f(x)");
        }
        this.body = body;
        this.shortcut = shortcut;
        List<Param> all = new ArrayList<>(body.params());
        if (shortcut != null) {
            all.addAll(shortcut.params());
        }
        this.params = List.copyOf(all);
        this.firstActivation = shortcut == null && body instanceof Sequential s && s.firstRunsAlone()
                && s.layers().get(0) instanceof ActivationLayer a ? a : null;
    }

    public Layer body() {
        return body;
    }

    /** The projection on the shortcut, or null for the identity. */
    public Layer shortcut() {
        return shortcut;
    }

    @Override
    public LinkedHashMap<String, Layer> children() {
        LinkedHashMap<String, Layer> out = new LinkedHashMap<>();
        out.put("body", body);
        if (shortcut != null) {
            out.put("shortcut", shortcut);
        }
        return out;
    }

    @Override
    public Tensor forward(Tensor x, Mode mode) {
        return forwardThrough(x, mode, (name, child, input) -> child.forward(input, mode));
    }

    @Override
    public Tensor forwardThrough(Tensor x, Mode mode, ChildForward hook) {
        Tensor f = hook.forward("body", body, x);
        Tensor s = shortcut == null ? x : hook.forward("shortcut", shortcut, x);
        if (!java.util.Arrays.equals(f.shape(), s.shape())) {
            throw new IllegalArgumentException(describe() + ": the body's output " + java.util.Arrays.toString(f.shape())
                    + " and the shortcut's " + java.util.Arrays.toString(s.shape()) + " differ; give the block a "
                    + "shortcut projection (e.g. a 1x1 Conv2d) that maps the input to the body's output shape");
        }
        y = Buffers.ensure(y, f, f.shape());
        add(f, s, y);                                              // y = p(x) + f(x)
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (firstActivation != null) {                             // ∇x = f₀'(x) ⊙ ∇(rest of f) + ∇y, one pass
            return firstActivation.backwardPlus(((Sequential) body).backwardAfterFirst(dy), dy);
        }
        Tensor fromBody = body.backward(dy);
        Tensor fromShortcut = shortcut == null ? dy : shortcut.backward(dy);
        dx = Buffers.ensure(dx, fromBody, fromBody.shape());
        add(fromBody, fromShortcut, dx);                           // ∇x = ∇f + ∇p
        return dx;
    }

    /** out = a + b in one pass (the bits of a copy of a and an axpy of b). */
    private static void add(Tensor a, Tensor b, Tensor out) {
        Kernels.plus(a, b, out);
    }

    /** Whether backward adds the shortcut's gradient inside the body's first activation (tests). */
    boolean fusesFirstActivation() {
        return firstActivation != null;
    }

    @Override
    public List<Param> params() {
        return params;
    }

    @Override
    public Residual mapChildren(UnaryOperator<Layer> f) {
        return new Residual(f.apply(body), shortcut == null ? null : f.apply(shortcut));
    }

    @Override
    public String describe() {
        return "Residual(body: " + body.describe().replace("\n", "\n  ")
                + (shortcut == null ? ", identity shortcut" : ", shortcut: " + shortcut.describe()) + ")";
    }
}

package org.weightnorm4j.rl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.weightnorm4j.nn.ActivationLayer;
import org.weightnorm4j.nn.Flatten;
import org.weightnorm4j.nn.Layer;
import org.weightnorm4j.nn.Sequential;
import org.weightnorm4j.norm.LinearUnit;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.tensor.ConvSpec;
import org.weightnorm4j.tensor.DType;

/**
 * MinAtar's DQN network (Young &amp; Tian 2019), exactly the PyTorch peer's
 * ({@code shared/bench/torch_dqn_peer.py}): Conv2d(C, 16, 3, no padding) + ReLU, Flatten
 * (16·8·8 = 1024), Dense(1024 → 128) + ReLU, Dense(128 → 6).
 *
 * <p>Each linear layer is a {@link LinearUnit} of the chosen parameterization: {@code normal}
 * (PyTorch's default init), {@code wn} (weight norm, {@code v ~ N(0, 0.05²)}, to be set by
 * data-dependent init), {@code wn-mobn} (weight norm without bias, then mean-only batch norm; so
 * the output layer too). With {@code normal} and {@code wn} the state-dict names are the peer's
 * ({@code 0.weight}, {@code 3.weight}, {@code 5.weight}, or their {@code _g}/{@code _v}).
 */
public final class DqnNetwork {
    /** Filters of the convolution. */
    public static final int FILTERS = 16;
    /** Units of the hidden dense layer. */
    public static final int HIDDEN = 128;

    private DqnNetwork() {
    }

    /** Refuses {@code bn} and {@code mobn} with the reason (checked when the settings are made, before any run). */
    public static void requireSupported(Parameterization p) {
        if (p == Parameterization.BN || p == Parameterization.MOBN) {
            // Batch norm is what the paper could not make work in DQN (docs/RL.md says why); mobn is
            // outside its comparison. Refuse rather than train something undocumented.
            throw new IllegalArgumentException("DQN supports --param normal, wn and wn-mobn, not " + p.cliName()
                    + " (the paper could not make batch normalization work in DQN; docs/RL.md, 'Why not bn')");
        }
    }

    /** A new network for {@code channels} input channels, initialised from {@code seed}. */
    public static Sequential build(Parameterization p, int channels, long seed) {
        requireSupported(p);
        SplittableRandom rng = new SplittableRandom(seed);
        int side = Environment.SIZE - 2;
        List<Layer> layers = new ArrayList<>();
        layers.addAll(LinearUnit.conv(p, channels, FILTERS, 3, ConvSpec.valid(), DType.FLOAT32, rng));
        layers.add(ActivationLayer.relu());
        layers.add(new Flatten());
        layers.addAll(LinearUnit.dense(p, FILTERS * side * side, HIDDEN, DType.FLOAT32, rng));
        layers.add(ActivationLayer.relu());
        layers.addAll(LinearUnit.dense(p, HIDDEN, Environment.NUM_ACTIONS, DType.FLOAT32, rng));
        return Sequential.builder().addAll(layers).seed(seed).build();
    }
}

package org.weightnorm4j.tensor;

/**
 * An element-wise non-linearity with its derivative. The derivative is expressed through the
 * input {@code x} and the output {@code y = f(x)}, whichever is cheaper.
 */
public record Activation(Kind kind, double param) {

    /** The supported functions; {@code param} is the slope of LeakyReLU and the alpha of ELU. */
    public enum Kind { IDENTITY, RELU, LEAKY_RELU, ELU, SOFTPLUS, TANH, SIGMOID }

    public static final Activation IDENTITY = new Activation(Kind.IDENTITY, 0);
    public static final Activation RELU = new Activation(Kind.RELU, 0);
    public static final Activation SOFTPLUS = new Activation(Kind.SOFTPLUS, 0);
    public static final Activation TANH = new Activation(Kind.TANH, 0);
    public static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0);

    /** LeakyReLU: {@code x} for {@code x > 0}, else {@code slope * x} (the paper uses 0.1). */
    public static Activation leakyRelu(double slope) {
        return new Activation(Kind.LEAKY_RELU, slope);
    }

    /** ELU: {@code x} for {@code x > 0}, else {@code alpha * (exp(x) - 1)}. */
    public static Activation elu(double alpha) {
        return new Activation(Kind.ELU, alpha);
    }

    /**
     * Leaky ReLU in float, the kernels' scalar form: {@code v} for {@code v > 0}, else
     * {@code slope · v}; with slope 0 (ReLU) the negative side is +0, not {@code 0 · v = −0}.
     */
    static float leakyRelu(float v, float slope) {
        return v > 0 ? v : slope == 0 ? 0f : slope * v;
    }

    /** f(x), computed in double. */
    public double apply(double x) {
        return switch (kind) {
            case IDENTITY -> x;
            case RELU -> x > 0 ? x : 0;
            case LEAKY_RELU -> x > 0 ? x : param * x;
            case ELU -> x > 0 ? x : param * Math.expm1(x);
            // log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|)
            case SOFTPLUS -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            case TANH -> Math.tanh(x);
            case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
        };
    }

    /** f'(x), given x and y = f(x). */
    public double derivative(double x, double y) {
        return switch (kind) {
            case IDENTITY -> 1;
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : param;
            case ELU -> x > 0 ? 1 : y + param;
            case SOFTPLUS -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case TANH -> 1 - y * y;
            case SIGMOID -> y * (1 - y);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case LEAKY_RELU -> "leaky_relu(" + param + ")";
            case ELU -> "elu(" + param + ")";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}

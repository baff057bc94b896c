package org.weightnorm4j.cli;

import java.util.Map;
import org.weightnorm4j.model.Recipe;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.optim.OptimizerSpec;
import picocli.CommandLine.Option;

/**
 * The optimizer and its hyper-parameters, as a picocli mixin: {@code --optimizer}, {@code --lr},
 * {@code --momentum}, {@code --nesterov}, {@code --weight-decay}, {@code --beta1-late} and
 * {@code --beta1-switch}, declared once for {@code train} (all of them), {@code compare}
 * ({@code --optimizer}, {@code --lr}, {@code --momentum}), {@code lr-sweep} ({@code --optimizer},
 * {@code --momentum}) and {@code noise} ({@code --optimizer}, {@code --lr}, {@code --momentum},
 * {@code --weight-decay}). The defaults differ per command ({@link Defaults}), so the options whose
 * defaults differ are null when not given and {@link #toSpec} resolves them.
 */
final class OptimizerOptions extends PerCommandMixin {

    /**
     * A command's defaults.
     *
     * @param optimizer {@code adam} or {@code sgd}
     * @param momentum  SGD's momentum
     * @param lrHelp    the description of {@code --lr}, which says the command's default learning rates
     */
    record Defaults(String optimizer, double momentum, String lrHelp) {
    }

    /** The learning rate a command uses when {@code --lr} is not given, for SGD or Adam. */
    @FunctionalInterface
    interface DefaultLr {
        double lr(boolean sgd);

        /** The {@link Recipe}'s rate (for parameterization {@code p}; null: any). */
        static DefaultLr of(Recipe recipe, Parameterization p) {
            return sgd -> recipe.lr(sgd, p);
        }
    }

    private final Defaults defaults;

    /** A command's instance: its defaults, and the options it takes (none named = all). */
    OptimizerOptions(Defaults defaults, String... takes) {
        super(takes);
        this.defaults = defaults;
    }

    @Option(names = "--optimizer", paramLabel = "adam|sgd", description = "Optimizer. Default: {optimizer:default}.")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X", description = "{optimizer:lr}")
    Double lr;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum. Default: {optimizer:momentum}.")
    Double momentum;

    @Option(names = "--nesterov", description = "SGD: use Nesterov momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", paramLabel = "L", defaultValue = "0", description = "L2 weight decay. Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(names = "--beta1-late", paramLabel = "B1",
            description = "Adam: beta1 from --beta1-switch on (beta1 is {recipe:beta1} before). Default: {recipe:beta1-late}.")
    Double beta1Late;

    @Option(names = "--beta1-switch", paramLabel = "EPOCH", description = "Adam: the epoch beta1 changes (default: half of --epochs).")
    Double beta1Switch;

    @Override
    Map<String, String> helpTokens() {
        return Map.of("{optimizer:default}", defaults.optimizer(), "{optimizer:momentum}", Recipe.number(defaults.momentum()),
                "{optimizer:lr}", defaults.lrHelp());
    }

    /** The optimizer's name in lower case, {@code --optimizer} else the command's; an unknown name is an error. */
    String name() {
        return OptimizerSpec.checkName(optimizer != null ? optimizer : defaults.optimizer());
    }

    /** SGD's momentum: {@code --momentum}, else the command's. */
    double momentum() {
        return momentum != null ? momentum : defaults.momentum();
    }

    /**
     * The optimizer: the given options, the others at the command's defaults, the learning rate
     * {@code defaultLr}'s when {@code --lr} is not given, Adam's β1 at the start {@link Recipe#BETA1}.
     */
    OptimizerSpec toSpec(DefaultLr defaultLr) {
        String name = name();
        double rate = lr != null ? lr : defaultLr.lr(name.equals("sgd"));
        return OptimizerSpec.parse(name, rate, Recipe.BETA1, momentum(), nesterov, weightDecay);
    }

    /** Adam's β1 from {@link #beta1Switch} on: {@code --beta1-late}, else the recipe's. */
    double beta1Late(Recipe recipe) {
        return beta1Late != null ? beta1Late : recipe.beta1Late();
    }

    /** The epoch β1 switches: {@code --beta1-switch}, else half of {@code epochs}. */
    double beta1Switch(int epochs) {
        return beta1Switch != null ? beta1Switch : Recipe.halfway(epochs);
    }
}

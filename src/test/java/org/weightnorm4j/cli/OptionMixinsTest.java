package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.weightnorm4j.experiments.LrSweep;
import org.weightnorm4j.experiments.NoiseExperiment;
import org.weightnorm4j.experiments.TrainSettings;
import org.weightnorm4j.model.Recipe;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.optim.OptimizerSpec;
import org.weightnorm4j.optim.ScheduleSpec;
import org.weightnorm4j.train.TrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The option blocks that {@code train}, {@code compare}, {@code lr-sweep}, {@code noise} and
 * {@code bench train} share are declared once, in mixins, and resolve to each command's own
 * defaults.
 */
class OptionMixinsTest {

    /** The five commands, by their path under {@code weightnorm}. */
    private static final List<String> COMMANDS = List.of("train", "compare", "lr-sweep", "noise", "bench train");

    /**
     * Options that several of the commands declare each for itself, because they mean different
     * things there. Nothing else may be declared twice.
     */
    private static final Map<String, String> OWN_PER_COMMAND = Map.of(
            "--out", "each command's own output layout and default directory",
            "--quiet", "what it silences differs: train keeps the final line, compare/lr-sweep print a line per run",
            "--model", "train also takes a model-spec FILE.json; the experiments take presets",
            "--param", "train takes one parameterization, bench train a list or 'all'",
            "--threads", "bench train takes a list of thread counts to time in turn, 0 meaning one per core",
            "--batch", "bench train: 0 means the peer's batch; its step code reads the field",
            "--seed", "bench train seeds its synthetic inputs; its step code reads the field",
            "--steps", "noise: optimizer steps per batch size; bench train: timed steps");

    private static CommandLine command(String path) {
        return OptionDeclarations.command(path);
    }

    /** Each command keeps exactly its option names (the hidden fault-injection option included). */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "train;--batch --beta1-late --beta1-switch --checkpoint-every --checkpoint-every-steps --data --dataset --decay-start"
                + " --divergence-factor --divergence-patience --ema --epochs --flip --help --init-batch --keep --log-every --lr"
                + " --model --momentum --nesterov --no-divergence-check --optimizer --out"
                + " --param --preprocess --quiet --resume --schedule --seed --shift --spark --step-every --step-gamma"
                + " --stop-after-steps --threads --version --weight-decay --workers",
        "compare;--batch --data --dataset --epochs --help --loss-target --lr --model --momentum --optimizer --out --params"
                + " --preprocess --quiet --seed --seeds --spark --test-limit --threads --train-limit --version",
        "lr-sweep;--batch --data --dataset --epochs --help --lrs --model --momentum --optimizer --out --params --quiet --seed"
                + " --spark --test-limit --threads --train-limit --version",
        "noise;--batches --data --dataset --help --label-noise --lr --model --momentum --optimizer --out --quiet --seed --steps"
                + " --threads --train-limit --version --weight-decay",
        "bench train;--batch --clock --epoch --help --param --rounds --seed --steps --synthetic --threads --version --warmup --workload"})
    void optionNamesStay(String command, String names) {
        assertEquals(new TreeSet<>(List.of(names.split(" "))), OptionDeclarations.names(command), command);
    }

    /**
     * An option name that several of the five commands take comes from one class, a mixin (not
     * from the commands themselves), unless it is one of the few that mean different things per
     * command.
     */
    @Test
    void sharedOptionsAreDeclaredOnce() {
        OptionDeclarations d = new OptionDeclarations(COMMANDS);
        assertEquals(List.of(), d.problems(OWN_PER_COMMAND.keySet()), "options declared more than once; move them into a shared mixin");
        Map<String, Set<String>> takenBy = d.takenBy;
        for (String name : OWN_PER_COMMAND.keySet()) {
            assertTrue(takenBy.containsKey(name) && takenBy.get(name).size() >= 2,
                    name + " is no longer taken by several commands; drop it from OWN_PER_COMMAND");
        }
    }

    /** The mixins whose defaults differ per command declare no picocli default for those options. */
    @Test
    void perCommandOptionsHaveNoPicocliDefault() {
        for (String command : List.of("train", "compare", "lr-sweep", "noise")) {
            for (String name : List.of("--optimizer", "--lr", "--momentum", "--epochs", "--batch")) {
                OptionSpec o = command(command).getCommandSpec().findOption(name);
                if (o != null) {
                    assertEquals(null, o.defaultValue(), command + " " + name);
                    assertTrue(!String.join(" ", o.description()).contains("{"), command + " " + name + ": "
                            + String.join(" ", o.description()));
                }
            }
        }
    }

    /** Each command's help states its own defaults. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "train|--optimizer|Optimizer. Default: adam.",
        "compare|--optimizer|Optimizer. Default: adam.",
        "lr-sweep|--optimizer|Optimizer. Default: sgd.",
        "noise|--optimizer|Optimizer. Default: sgd.",
        "train|--momentum|SGD momentum. Default: 0.9.",
        "compare|--momentum|SGD momentum. Default: 0.9.",
        "lr-sweep|--momentum|SGD momentum. Default: 0.9.",
        "noise|--momentum|SGD momentum. Default: 0.",
        "train|--lr|Base learning rate. Default: Adam mlp 1e-3, cnn 3e-3, paper-cifar 3e-3 (3e-4 for normal), FILE.json 1e-3;"
                + " SGD 0.01.",
        "compare|--lr|Learning rate (constant). Default: adam mlp 1e-3, cnn 3e-3, paper-cifar 3e-3, FILE.json 1e-3; sgd 0.01.",
        "noise|--lr|Learning rate. Default: sgd 0.1, adam 0.001.",
        "train|--epochs|Epochs per run. Default: mlp 10, cnn 10, paper-cifar 200, FILE.json 10.",
        "compare|--epochs|Epochs per run. Default: 10.",
        "lr-sweep|--epochs|Epochs per run. Default: 1.",
        "train|--batch|Minibatch size. Default: mlp 128, cnn 100, paper-cifar 100, FILE.json 128.",
        "compare|--batch|Minibatch size. Default: mlp 128, cnn 100, paper-cifar 100, FILE.json 128.",
        "lr-sweep|--batch|Minibatch size. Default: 128.",
        "noise|--weight-decay|L2 weight decay. Default: 0.",
        "train|--weight-decay|L2 weight decay. Default: 0."})
    void helpShowsEachCommandsDefault(String command, String name, String description) {
        assertEquals(description, String.join(" ", command(command).getCommandSpec().findOption(name).description()));
    }

    @Test
    void trainDefaultsToAdamAtTheRecipesRate() {
        TrainCommand t = OptionDeclarations.parse("train");
        TrainConfig c = t.config(Recipe.of("mlp"), Parameterization.WN);
        assertEquals(new OptimizerSpec.Adam(1e-3, 0.9, OptimizerSpec.ADAM_BETA2, OptimizerSpec.ADAM_EPS, 0), c.optimizer());
        assertEquals(new ScheduleSpec.LinearDecay(5), c.schedule());
        assertEquals(10, c.epochs());
        assertEquals(128, c.batchSize());
        assertEquals(128, c.initBatch());
        assertEquals(0.9, c.beta1Late());
        assertEquals(5, c.beta1SwitchEpoch());

        TrainConfig paper = t.config(Recipe.of("paper-cifar"), Parameterization.NORMAL);
        assertEquals(3e-4, paper.optimizer().lr());
        assertEquals(0.5, paper.beta1Late());
        assertEquals(100, paper.beta1SwitchEpoch());
        assertEquals(200, paper.epochs());
        assertEquals(500, paper.initBatch());

        TrainCommand sgd = OptionDeclarations.parse("train", "--optimizer", "SGD", "--epochs", "4", "--batch", "32", "--schedule", "step");
        TrainConfig s = sgd.config(Recipe.of("cnn"), Parameterization.WN);
        assertEquals(new OptimizerSpec.Sgd(0.01, 0.9, false, 0), s.optimizer());
        assertEquals(new ScheduleSpec.Step(30, 0.1), s.schedule());
        assertEquals(4, s.epochs());
        assertEquals(32, s.initBatch());
        assertEquals(2, s.beta1SwitchEpoch());
    }

    @Test
    void compareDefaultsToAdamAtTheRecipesRateForEveryParameterization() {
        TrainSettings mlp = OptionDeclarations.<CompareCommand>parse("compare").train();
        assertEquals(new TrainSettings(10, 128, new OptimizerSpec.Adam(1e-3, 0.9, OptimizerSpec.ADAM_BETA2,
                OptimizerSpec.ADAM_EPS, 0), 128, 1), mlp);
        TrainSettings paper = OptionDeclarations.<CompareCommand>parse("compare", "--model", "paper-cifar").train();
        assertEquals(3e-3, paper.lr());                  // one rate for every parameterization, normal included
        assertEquals(500, paper.initBatch());
        assertEquals(100, paper.batchSize());
        TrainSettings sgd = OptionDeclarations.<CompareCommand>parse("compare", "--optimizer", "sgd", "--epochs", "2", "--seed", "3").train();
        assertEquals(new TrainSettings(2, 128, new OptimizerSpec.Sgd(0.01, 0.9, false, 0), 128, 3), sgd);
    }

    @Test
    void lrSweepDefaultsToSgdWithMomentum() {
        LrSweep.Settings s = OptionDeclarations.<LrSweepCommand>parse("lr-sweep").settings();
        assertEquals(new TrainSettings(1, 128, new OptimizerSpec.Sgd(1e-3, 0.9, false, 0), 128, 1), s.train());
        assertEquals(List.of(1e-4, 1e-3, 1e-2, 1e-1, 1.0), s.lrs());
        LrSweep.Settings adam = OptionDeclarations.<LrSweepCommand>parse("lr-sweep", "--optimizer", "adam", "--batch", "64", "--momentum", "0")
                .settings();
        assertEquals(new TrainSettings(1, 64, new OptimizerSpec.Adam(1e-3, 0.9, OptimizerSpec.ADAM_BETA2,
                OptimizerSpec.ADAM_EPS, 0), 64, 1), adam.train());
    }

    @Test
    void noiseDefaultsToPlainSgd() {
        NoiseCommand n = OptionDeclarations.parse("noise");
        NoiseExperiment.Settings s = NoiseCommand.settings(List.of(16, 64), 0, 10, n.optimizer, 1);
        assertEquals(new OptimizerSpec.Sgd(0.1, 0, false, 0), s.train().optimizer());
        assertEquals(NoiseCommand.INIT_BATCH, s.train().initBatch());
        NoiseCommand adam = OptionDeclarations.parse("noise", "--optimizer", "adam", "--weight-decay", "1e-4");
        assertEquals(new OptimizerSpec.Adam(1e-3, 0.9, OptimizerSpec.ADAM_BETA2, OptimizerSpec.ADAM_EPS, 1e-4),
                NoiseCommand.settings(List.of(16), 0, 10, adam.optimizer, 1).train().optimizer());
        assertNotEquals(n.optimizer.momentum(), OptionDeclarations.<CompareCommand>parse("compare").optimizer.momentum());
    }

    /** The demo resolves its compare and noise runs through the same mixins, at those commands' defaults. */
    @Test
    void unsetMixinsGiveTheCommandsDefaults() {
        assertEquals(OptionDeclarations.<CompareCommand>parse("compare", "--epochs", "2").train(),
                CompareCommand.recipe(Recipe.of("mlp"), 2, 128, new OptimizerOptions(CompareCommand.OPTIMIZER), 1));
        assertEquals(new OptimizerSpec.Sgd(0.1, 0, false, 0),
                NoiseCommand.settings(List.of(16), 0, 1, new OptimizerOptions(NoiseCommand.OPTIMIZER), 1).train().optimizer());
    }
}

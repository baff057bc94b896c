package org.weightnorm4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.weightnorm4j.model.Recipe;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Writes the per-model defaults into help texts from the {@link Recipe}s, so that {@code --help}
 * cannot drift from what the commands do: a command names this class as its picocli
 * {@code modelTransformer}, and every {@code {recipe:KEY}} in its description or its options'
 * descriptions is replaced by the recipes' values (annotation texts must be constants, so they
 * cannot call the recipes themselves). It also applies the commands' {@link PerCommandMixin}s: their
 * defaults go into the help, and the options a command does not take are removed.
 */
public final class RecipeHelp implements CommandLine.IModelTransformer {

    /** The tokens and their texts. */
    static final Map<String, String> TOKENS = tokens();

    private static Map<String, String> tokens() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("{recipe:dataset}", Recipe.describe(Recipe::dataset));
        t.put("{recipe:batch}", Recipe.describe(Recipe::batchSize));
        t.put("{recipe:epochs}", Recipe.describe(Recipe::epochs));
        t.put("{recipe:adam-lr}", Recipe.describe(Recipe::adamLrText));
        t.put("{recipe:adam-lr-plain}", Recipe.describe(r -> Recipe.number(r.adamLr())));
        t.put("{recipe:sgd-lr}", Recipe.number(Recipe.SGD_LR));
        t.put("{recipe:beta1-late}", Recipe.describe(r -> Recipe.number(r.beta1Late())));
        t.put("{recipe:beta1}", Recipe.number(Recipe.BETA1));
        t.put("{recipe:preprocess}", Recipe.describe(r -> r.preprocessing() != null ? r.preprocessing() : "none")
                + " (normalize on cifar10 where the recipe fixes none)");
        t.put("{recipe:init}", Recipe.describe(r -> r.initImages() > 0 ? Integer.toString(r.initImages()) : "the batch size"));
        t.put("{recipe:summary}", summary());
        return t;
    }

    /** One sentence per recipe, for {@code train}'s description. */
    private static String summary() {
        List<String> parts = new ArrayList<>();
        for (Recipe r : Recipe.ALL) {
            parts.add((r.model().equals(Recipe.CUSTOM) ? "FILE.json" : r.model()) + ": " + r.dataset() + ", batch " + r.batchSize()
                    + ", Adam lr " + r.adamLrText() + ", " + r.epochs() + " epochs"
                    + (r.beta1Late() != Recipe.BETA1 ? ", beta1 " + Recipe.number(Recipe.BETA1) + " then "
                    + Recipe.number(r.beta1Late()) + " from epoch " + Recipe.number(Recipe.halfway(r.epochs())) : "")
                    + (r.preprocessing() != null ? ", " + r.preprocessing().toUpperCase(java.util.Locale.ROOT) : "")
                    + (r.initImages() > 0 ? ", init on " + r.initImages() + " images" : ""));
        }
        return "Defaults per model: " + String.join("; ", parts) + ". All: the learning rate is constant for the first half"
                + " of the epochs, then decays linearly to 0 (the paper's schedule).";
    }

    /** {@code text} with every token replaced. */
    static String expand(String text) {
        String s = text;
        for (Map.Entry<String, String> e : TOKENS.entrySet()) {
            s = s.replace(e.getKey(), e.getValue());
        }
        return s;
    }

    private static String[] expand(String[] lines) {
        String[] out = new String[lines.length];
        for (int i = 0; i < lines.length; i++) {
            out[i] = expand(lines[i]);
        }
        return out;
    }

    /**
     * Removes the options of {@link PerCommandMixin}s that the command does not take, and replaces
     * the mixins' per-command tokens, then the recipe tokens, in the descriptions.
     */
    @Override
    public CommandSpec transform(CommandSpec spec) {
        Map<String, String> local = new LinkedHashMap<>();
        java.util.Set<String> dropped = new java.util.HashSet<>();
        for (CommandSpec mixin : mixins(spec, new ArrayList<>())) {
            if (mixin.userObject() instanceof PerCommandMixin m) {
                local.putAll(m.helpTokens());
                for (OptionSpec o : mixin.options()) {
                    if (!m.takes(o.longestName())) {
                        dropped.add(o.longestName());
                    }
                }
            }
        }
        spec.usageMessage().description(expand(spec.usageMessage().description()));
        for (OptionSpec o : new ArrayList<>(spec.options())) {
            if (dropped.contains(o.longestName())) {
                spec.remove(o);
                continue;
            }
            String[] d = o.description();
            String[] x = expand(expandLocal(d, local));
            if (!java.util.Arrays.equals(d, x)) {
                spec.remove(o);
                spec.addOption(o.toBuilder().description(x).build());
            }
        }
        return spec;
    }

    /** The mixins of {@code spec} and, depth first, theirs (a mixin may hold a {@link PerCommandMixin}). */
    private static List<CommandSpec> mixins(CommandSpec spec, List<CommandSpec> into) {
        for (CommandSpec m : spec.mixins().values()) {
            into.add(m);
            mixins(m, into);
        }
        return into;
    }

    private static String[] expandLocal(String[] lines, Map<String, String> tokens) {
        String[] out = new String[lines.length];
        for (int i = 0; i < lines.length; i++) {
            String s = lines[i];
            for (Map.Entry<String, String> e : tokens.entrySet()) {
                s = s.replace(e.getKey(), e.getValue());
            }
            out[i] = s;
        }
        return out;
    }
}

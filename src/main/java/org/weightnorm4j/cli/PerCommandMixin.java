package org.weightnorm4j.cli;

import java.util.List;
import java.util.Map;

/**
 * A shared picocli mixin whose defaults, and possibly which of its options, differ per command.
 * The command constructs it with its own defaults in the {@code @Mixin} field's initialiser
 * (picocli keeps an instance it finds there); the mixin's options carry no picocli default where
 * the commands' defaults differ, so that a field is null when the option was not given and the
 * mixin resolves it against those defaults. {@link RecipeHelp} writes the defaults into the
 * help ({@link #helpTokens()}) and removes the options the command does not take
 * ({@link #takes()}), so each option is declared once however many commands use it. An option
 * the command does not take is not parsed and gets no picocli default: its field keeps its Java
 * initial value (null, false or 0), which the mixin's methods treat as "not given". A command
 * cannot declare an option of its own under the name of one it does not take (picocli sees both
 * before they are removed).
 */
abstract class PerCommandMixin {
    private final List<String> takes;

    /** {@code takes}: the names of the options the command takes from the mixin; none given = all. */
    PerCommandMixin(String... takes) {
        this.takes = List.of(takes);
    }

    /** Whether the command takes the option named {@code name} (its longest name). */
    final boolean takes(String name) {
        return takes.isEmpty() || takes.contains(name);
    }

    /** The option names the command takes; empty = all of the mixin's. */
    final List<String> takes() {
        return takes;
    }

    /** Help-text tokens such as {@code {optimizer:default}} and this command's text for them. */
    abstract Map<String, String> helpTokens();
}

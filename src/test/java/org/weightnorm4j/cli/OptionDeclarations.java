package org.weightnorm4j.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Which classes declare the options of a set of commands, and which of the commands take each: for
 * the tests that an option several commands share is declared once, in a mixin.
 */
final class OptionDeclarations {
    /** Option (its longest name) → the classes that declare it. */
    final Map<String, Set<String>> declaredIn = new TreeMap<>();
    /** Option → the commands that take it. */
    final Map<String, Set<String>> takenBy = new TreeMap<>();

    /** Reads the commands, by their paths under {@code weightnorm}; fails if one takes an option name twice. */
    OptionDeclarations(List<String> commands) {
        for (String command : commands) {
            List<String> seen = new ArrayList<>();
            for (OptionSpec o : command(command).getCommandSpec().options()) {
                for (String name : o.names()) {
                    assertFalse(seen.contains(name), command + " declares " + name + " twice");
                    seen.add(name);
                }
                declaredIn.computeIfAbsent(o.longestName(), k -> new TreeSet<>())
                        .add(((Field) o.userObject()).getDeclaringClass().getName());
                takenBy.computeIfAbsent(o.longestName(), k -> new TreeSet<>()).add(command);
            }
        }
    }

    /** The command at {@code path} (e.g. {@code "draw compare"}) under a fresh {@code weightnorm}. */
    static CommandLine command(String path) {
        CommandLine c = Main.commandLine();
        for (String name : path.split(" ")) {
            c = c.getSubcommands().get(name);
        }
        return c;
    }

    /** The options of the command at {@code path}, by their longest names. */
    static Set<String> names(String path) {
        Set<String> names = new TreeSet<>();
        for (OptionSpec o : command(path).getCommandSpec().options()) {
            names.add(o.longestName());
        }
        return names;
    }

    /**
     * The options that several of the commands take but that are declared in more than one class,
     * or in a command rather than a mixin; {@code ownPerCommand}: those that mean different things
     * per command, and may.
     */
    List<String> problems(Set<String> ownPerCommand) {
        List<String> problems = new ArrayList<>();
        for (var e : declaredIn.entrySet()) {
            String name = e.getKey();
            if (takenBy.get(name).size() < 2 || ownPerCommand.contains(name)) {
                continue;
            }
            if (e.getValue().size() != 1) {
                problems.add(name + " is declared in " + e.getValue() + " (taken by " + takenBy.get(name) + ")");
            } else if (e.getValue().iterator().next().endsWith("Command")) {
                problems.add(name + " is shared by " + takenBy.get(name) + " but declared in the command " + e.getValue());
            }
        }
        return problems;
    }

    /** The command at {@code path} after parsing {@code args}, as {@code weightnorm PATH ARGS} would. */
    static <T> T parse(String path, String... args) {
        CommandLine top = Main.commandLine();
        List<String> line = new ArrayList<>(List.of(path.split(" ")));
        line.addAll(List.of(args));
        top.parseArgs(line.toArray(String[]::new));
        CommandLine c = top;
        for (String name : path.split(" ")) {
            c = c.getSubcommands().get(name);
        }
        return c.getCommand();
    }
}

package org.weightnorm4j.experiments;

import java.util.ArrayList;
import java.util.List;
import org.weightnorm4j.norm.Parameterization;
import org.weightnorm4j.rl.MinAtar;

/** Parses the comma-separated lists the experiment commands take, with errors that name the option. */
public final class ListArgs {
    private ListArgs() {
    }

    /** {@code "normal,wn"} → the parameterizations; {@code "all"} → all five. */
    public static List<Parameterization> params(String option, String text) {
        if (text.trim().equalsIgnoreCase("all")) {
            return List.of(Parameterization.values());
        }
        List<Parameterization> out = new ArrayList<>();
        for (String part : split(option, text)) {
            try {
                out.add(Parameterization.parse(part));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** {@code "16,64,256"} → the integers. */
    public static List<Integer> ints(String option, String text) {
        return parse(option, text, Integer::parseInt, "an integer (give e.g. 16,64,256)");
    }

    /** {@code "1,2,3"} → the seeds (64-bit integers). */
    public static List<Long> longs(String option, String text) {
        return parse(option, text, Long::parseLong, "an integer (give e.g. 1,2,3)");
    }

    /** {@code "1e-4,1e-3"} → the numbers. */
    public static List<Double> doubles(String option, String text) {
        return parse(option, text, Double::parseDouble, "a number (give e.g. 1e-4,1e-3,1e-2)");
    }

    private static <T> List<T> parse(String option, String text, java.util.function.Function<String, T> parser, String what) {
        List<T> out = new ArrayList<>();
        for (String part : split(option, text)) {
            try {
                out.add(parser.apply(part));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": '" + part + "' is not " + what);
            }
        }
        return out;
    }

    /** {@code "breakout,seaquest"} → MinAtar's canonical game names; {@code "all"} → all five. */
    public static List<String> games(String option, String text) {
        if (text.trim().equalsIgnoreCase("all")) {
            return MinAtar.GAMES;
        }
        List<String> out = new ArrayList<>();
        for (String part : split(option, text)) {
            String g = MinAtar.canonicalName(part);
            if (!MinAtar.GAMES.contains(g)) {
                throw new IllegalArgumentException(option + ": unknown game '" + part + "'; the games are " + MinAtar.GAMES);
            }
            out.add(g);
        }
        return out;
    }

    private static List<String> split(String option, String text) {
        List<String> parts = new ArrayList<>();
        for (String p : text.split(",")) {
            if (!p.isBlank()) {
                parts.add(p.trim());
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException(option + " is empty: give a comma-separated list");
        }
        return parts;
    }
}

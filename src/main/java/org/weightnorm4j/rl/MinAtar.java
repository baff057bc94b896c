package org.weightnorm4j.rl;

import java.util.List;
import java.util.Locale;

/** Creates the five MinAtar games by name. */
public final class MinAtar {
    /** MinAtar's sticky-action probability. */
    public static final double DEFAULT_STICKY_ACTION_PROBABILITY = 0.1;
    /** MinAtar's game names, in its README's order. */
    public static final List<String> GAMES = List.of("asterix", "breakout", "freeway", "seaquest", "space_invaders");

    private MinAtar() {
    }

    /** A game with MinAtar's defaults (sticky actions 0.1, ramping on), already reset. */
    public static Environment create(String game, long seed) {
        return create(game, seed, DEFAULT_STICKY_ACTION_PROBABILITY, true);
    }

    /**
     * A game, already reset, whose every random event (sticky actions included) is drawn from one
     * generator seeded with {@code seed}. Names are MinAtar's; {@code space-invaders} is accepted too.
     */
    public static Environment create(String game, long seed, double stickyActionProbability, boolean ramping) {
        MinAtarGame env = switch (canonicalName(game)) {
            case "asterix" -> new Asterix(seed, stickyActionProbability, ramping);
            case "breakout" -> new Breakout(seed, stickyActionProbability, ramping);
            case "freeway" -> new Freeway(seed, stickyActionProbability, ramping);
            case "seaquest" -> new Seaquest(seed, stickyActionProbability, ramping);
            case "space_invaders" -> new SpaceInvaders(seed, stickyActionProbability, ramping);
            default -> throw new IllegalArgumentException("unknown game '" + game + "'; the games are " + GAMES);
        };
        env.reset();
        return env;
    }

    /** MinAtar's spelling of a game's name ({@code Space-Invaders} becomes {@code space_invaders}). */
    public static String canonicalName(String game) {
        return game.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    }
}

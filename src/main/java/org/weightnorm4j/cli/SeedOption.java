package org.weightnorm4j.cli;

import picocli.CommandLine.Option;

/**
 * {@code --seed}, as a picocli mixin: the one declaration for {@code train}, {@code compare},
 * {@code lr-sweep}, {@code noise}, {@code demo}, {@code draw} and {@code vae}
 * ({@code bench train} words its own, for its synthetic inputs; {@code dqn}'s seeds the game too).
 */
final class SeedOption {
    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of everything random (initialisation, data order, dropout and noise). Default: ${DEFAULT-VALUE}.")
    long seed;
}

/**
 * The {@code weightnorm} command line (picocli): {@link org.weightnorm4j.cli.Main} is the entry
 * point and installs the error handling (a failure the user can act on is one line, exit status
 * 1); one class per subcommand ({@code train}, {@code eval}, {@code compare}, {@code lr-sweep},
 * {@code noise}, {@code demo}, {@code explain}, {@code data}, {@code bench}), and mixins for the
 * options several share ({@link org.weightnorm4j.cli.DatasetOptions},
 * {@link org.weightnorm4j.cli.SeedOption}, {@link org.weightnorm4j.cli.ThreadsOption},
 * {@link org.weightnorm4j.cli.OptimizerOptions}, ...), each option declared once; where the
 * commands' defaults differ, the mixin is a {@link org.weightnorm4j.cli.PerCommandMixin} that
 * the command builds with its own defaults. {@code draw} and {@code vae} share their flow as well:
 * {@link org.weightnorm4j.cli.GenerativeRunCommand} for one run, and
 * {@link org.weightnorm4j.cli.GenerativeCompareCommand} for a grid and its report.
 *
 * <p>The top of the layering: it parses and checks options, then calls {@code train} and
 * {@code experiments}, which do the work, and uses {@code data}, {@code model} and {@code tensor}
 * directly for loading, model presets and kernel settings. Nothing depends on it.
 */
package org.weightnorm4j.cli;

/**
 * File output shared by the packages that write results: {@link org.weightnorm4j.io.AtomicFiles}
 * replaces a file so that readers see the old content or the whole new one, never part of it
 * (temporary file, {@code fsync}, atomic rename, directory {@code fsync}).
 *
 * <p>At the very bottom of the layering: it depends on nothing else of the project, so that both
 * {@code train.checkpoint} (checkpoints, metrics) and {@code report} (charts, HTML) may use it.
 * Failures are {@link java.io.IOException}s; each caller adds the advice that fits its files.
 */
package org.weightnorm4j.io;

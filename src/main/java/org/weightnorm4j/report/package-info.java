/**
 * Charts and self-contained HTML reports for the experiments.
 *
 * <p>Plain data in, files out: this package knows nothing of models or training. An experiment
 * describes each chart as a {@link org.weightnorm4j.report.ChartSpec} of
 * {@link org.weightnorm4j.report.Series}, renders it with {@link org.weightnorm4j.report.Charts}
 * (PNG and SVG through XChart, headless), and gathers charts, {@link org.weightnorm4j.report.Table}s
 * and text into a {@link org.weightnorm4j.report.Report}, which writes one directory: every chart
 * as {@code figNN-name.png} and {@code .svg}, and {@code report.html} with the charts embedded as
 * data URIs, the command that produced it and the machine it ran on. The page needs no network,
 * no script and no file beside it to be read.
 *
 * <p>Diverged runs are expected data, not errors: points that are NaN or infinite (or not
 * positive on a logarithmic axis) are left out of the drawing and the omission is written in the
 * legend and in the figure's caption.
 *
 * <p>Depends on {@code io} (every file is written atomically) and on {@code tensor} only to name
 * the kernels in the machine description; used by {@code experiments}.
 */
package org.weightnorm4j.report;

package org.weightnorm4j.report;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.AnnotationTextPanel;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.weightnorm4j.io.AtomicFiles;

/**
 * Draws a {@link ChartSpec} as PNG or SVG with XChart, without a display (it sets
 * {@code java.awt.headless=true} unless the property is already set). Points that cannot be
 * drawn (NaN, infinite, or not positive on a log axis) are left out; the legend says how many,
 * a series with none left is named in a note inside the plot, and {@link #notes(ChartSpec)}
 * gives the sentences for a caption.
 *
 * <p>Each call draws afresh from the spec; calls on different threads do not share state.
 */
public final class Charts {
    static {
        Headless.ensure();
    }

    private static final Color TRANSPARENT = new Color(0, 0, 0, 0);

    private Charts() {
    }

    /**
     * Writes the chart as a PNG of {@code spec.width() × spec.height()} pixels, atomically.
     *
     * @param spec the chart
     * @param file the target file; its directory must exist
     * @throws IOException if the file cannot be written
     */
    public static void writePng(ChartSpec spec, Path file) throws IOException {
        AtomicFiles.write(file, png(spec));
    }

    /**
     * Writes the chart as an SVG document (UTF-8), atomically.
     *
     * @param spec the chart
     * @param file the target file; its directory must exist
     * @throws IOException if the file cannot be written
     */
    public static void writeSvg(ChartSpec spec, Path file) throws IOException {
        AtomicFiles.write(file, svg(spec).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param spec the chart
     * @return the PNG file's bytes
     */
    public static byte[] png(ChartSpec spec) {
        return png(build(spec, PlotData.of(spec)));
    }

    /**
     * @param spec the chart
     * @return the SVG document, with a {@code <title>} and a {@code <desc>} naming the series
     */
    public static String svg(ChartSpec spec) {
        PlotData data = PlotData.of(spec);
        return svg(build(spec, data), spec, data);
    }

    /**
     * @param spec the chart
     * @return one sentence per omission (points not drawn, series not shown); empty if none
     */
    public static List<String> notes(ChartSpec spec) {
        return PlotData.of(spec).notes();
    }

    /** PNG, SVG and notes from one pass over the data, for a report. */
    static Rendered render(ChartSpec spec) {
        PlotData data = PlotData.of(spec);
        XYChart chart = build(spec, data);
        return new Rendered(png(chart), svg(chart, spec, data), data.notes());
    }

    /**
     * One chart in both formats.
     *
     * @param png   PNG bytes
     * @param svg   SVG document
     * @param notes what was not drawn
     */
    record Rendered(byte[] png, String svg, List<String> notes) {
    }

    private static byte[] png(XYChart chart) {
        try {
            return ChartEncoder.getBytes(chart, "png");
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a PNG in memory failed", e);
        }
    }

    private static String svg(XYChart chart, ChartSpec spec, PlotData data) {
        byte[] raw;
        try {
            raw = ChartEncoder.getBytes(chart, "svg");
        } catch (IOException e) {
            throw new UncheckedIOException("encoding an SVG in memory failed", e);
        }
        return SvgText.finish(new String(raw, StandardCharsets.UTF_8), spec, data.notes());
    }

    private static XYChart build(ChartSpec spec, PlotData data) {
        XYChart chart = new XYChartBuilder()
                .width(spec.width()).height(spec.height())
                .title(spec.title()).xAxisTitle(spec.xLabel()).yAxisTitle(spec.yLabel())
                .build();
        ChartStyle.apply(chart.getStyler(), spec, data);
        for (PlotData.Drawn d : data.drawn()) {
            int index = indexOf(spec, d.name());
            // Internal names are positional so that legend texts never collide in XChart's map.
            XYSeries s = chart.addSeries("s" + index, d.x(), d.y());
            s.setLabel(d.legend());
            ChartStyle.applySeries(s, index, d.x().length, spec.style());
        }
        if (!spec.logX()) {
            breakEqualSpacing(chart, data);
        }
        List<String> missing = data.missing(spec);
        if (!missing.isEmpty()) {
            String text = data.drawn().isEmpty()
                    ? "Nothing to draw: every point is NaN, infinite or off the log axis."
                    : "Not drawn (no finite point): " + String.join(", ", missing);
            // Screen coordinates place the box's lower-left corner, with y counted from the bottom:
            // this puts the box at the top left of the plot area, just under the title.
            chart.addAnnotation(new AnnotationTextPanel(text, 70, spec.height() - 75, true));
        }
        return chart;
    }

    /**
     * XChart puts the x ticks of equally spaced x values on the data themselves (every k-th
     * point: 1, 15, 29, ...), which reads well for 20 epochs and badly for 400 steps. One
     * invisible point between the first two x values makes XChart choose round tick values.
     */
    private static void breakEqualSpacing(XYChart chart, PlotData data) {
        double[] xs = data.distinctX();
        if (xs.length <= ChartStyle.MAX_DATA_TICKS) {
            return;
        }
        double y = data.drawn().get(0).y()[0];
        XYSeries hidden = chart.addSeries("spacing", new double[] {(xs[0] + xs[1]) / 2}, new double[] {y});
        hidden.setShowInLegend(false);
        hidden.setMarker(SeriesMarkers.NONE);
        hidden.setLineColor(TRANSPARENT);
    }

    private static int indexOf(ChartSpec spec, String name) {
        for (int i = 0; i < spec.series().size(); i++) {
            if (spec.series().get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("series '" + name + "' is not in chart '" + spec.title() + "'");
    }
}

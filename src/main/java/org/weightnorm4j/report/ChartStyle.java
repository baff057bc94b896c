package org.weightnorm4j.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The look of every chart: white background, light grid, the Okabe–Ito palette (distinguishable
 * with the common colour-vision deficiencies) and one marker shape per series, so curves can be
 * told apart in grey too. Kept apart from {@link Charts} so the look is changed in one place.
 */
final class ChartStyle {
    /** Okabe &amp; Ito (2008), "Color Universal Design"; yellow last, it is faint on white. */
    static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xE69F00),
        new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442),
    };

    private static final Marker[] MARKERS = {
        SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP,
        SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS, SeriesMarkers.OVAL,
    };

    /** Lines with more points than this are drawn without markers: markers would hide the line. */
    static final int MAX_POINTS_WITH_MARKERS = 40;

    /** Up to this many equally spaced x values, every one may carry a tick (epochs 1..20). */
    static final int MAX_DATA_TICKS = 25;

    private static final Color GRID = new Color(0xE3E3E3);
    private static final Color BORDER = new Color(0xBBBBBB);
    private static final Color TEXT = new Color(0x222222);

    private ChartStyle() {
    }

    /**
     * A log axis labels only powers of ten when at least this many fall in its range; otherwise
     * it labels 2, 3, ..., 9 times each power too. (XChart's default, powers only, leaves an
     * axis from 0.13 to 3 with the single label "1", and one from 7 to 9 with none.)
     */
    static final int MIN_POWERS_OF_TEN = 2;

    static void apply(XYStyler st, ChartSpec spec, PlotData data) {
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(BORDER);
        st.setPlotGridLinesColor(GRID);
        st.setPlotGridLinesStroke(new BasicStroke(1f));
        st.setChartFontColor(TEXT);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        st.setChartTitleBoxVisible(false);
        st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setLegendBorderColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setAnnotationTextPanelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setAnnotationTextPanelBorderColor(BORDER);
        st.setSeriesColors(PALETTE);
        st.setMarkerSize(7);
        st.setAntiAlias(true);
        st.setTextAntiAlias(true);
        st.setXAxisTitleVisible(!spec.xLabel().isEmpty());
        st.setYAxisTitleVisible(!spec.yLabel().isEmpty());
        st.setXAxisLogarithmic(spec.logX());
        st.setYAxisLogarithmic(spec.logY());
        if (spec.logX()) {
            st.setXAxisLogarithmicDecadeOnly(powersOfTen(data.range(true)) >= MIN_POWERS_OF_TEN);
            st.setXAxisTickLabelsFormattingFunction(Numbers::compact);
        }
        if (spec.logY()) {
            st.setYAxisLogarithmicDecadeOnly(powersOfTen(data.range(false)) >= MIN_POWERS_OF_TEN);
            st.setYAxisTickLabelsFormattingFunction(Numbers::compact);
        }
        st.setDefaultSeriesRenderStyle(spec.style() == ChartSpec.Style.SCATTER
                ? XYSeries.XYSeriesRenderStyle.Scatter : XYSeries.XYSeriesRenderStyle.Line);
    }

    /** @return how many powers of ten lie in [min, max] (a positive range; null counts none) */
    static int powersOfTen(double[] range) {
        if (range == null) {
            return 0;
        }
        // A tiny tolerance so that 1e-3, which log10 may put a hair above -3, counts.
        double lo = Math.ceil(Math.log10(range[0]) - 1e-9);
        double hi = Math.floor(Math.log10(range[1]) + 1e-9);
        return (int) Math.max(0, hi - lo + 1);
    }

    /** Colour, marker and line width of the {@code index}-th series (counting every series of the spec). */
    static void applySeries(XYSeries s, int index, int points, ChartSpec.Style style) {
        Color c = PALETTE[index % PALETTE.length];
        s.setLineColor(c);
        s.setMarkerColor(c);
        s.setLineWidth(2f);
        boolean markers = style == ChartSpec.Style.SCATTER || points <= MAX_POINTS_WITH_MARKERS;
        s.setMarker(markers ? MARKERS[index % MARKERS.length] : SeriesMarkers.NONE);
    }
}

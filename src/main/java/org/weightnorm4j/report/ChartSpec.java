package org.weightnorm4j.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one chart shows: an x–y plot of one or more {@link Series}. Immutable; build with
 * {@link #builder(String)}.
 *
 * <pre>{@code
 * ChartSpec loss = ChartSpec.builder("Training loss")
 *         .xLabel("epoch").yLabel("loss").logY()
 *         .series(Series.ofY("wn", wnLoss))
 *         .series(Series.ofY("normal", normalLoss))
 *         .build();
 * }</pre>
 *
 * @param title  chart title (plain text)
 * @param xLabel x axis title
 * @param yLabel y axis title
 * @param logX   logarithmic x axis (points with x ≤ 0 are then left out)
 * @param logY   logarithmic y axis (points with y ≤ 0 are then left out)
 * @param style  lines through the points, or points alone
 * @param series the curves, at least one, names unique
 * @param width  image width in pixels
 * @param height image height in pixels
 */
public record ChartSpec(String title, String xLabel, String yLabel, boolean logX, boolean logY,
                        Style style, List<Series> series, int width, int height) {

    /** How the points of every series are drawn. */
    public enum Style {
        /** Points joined by lines, in the order given (curves over epochs or steps). */
        LINE,
        /** Points alone, no lines (clouds, or values whose order means nothing). */
        SCATTER
    }

    /** Default image size: wide enough for a legend beside the plot, readable at 1:1. */
    public static final int DEFAULT_WIDTH = 800;
    public static final int DEFAULT_HEIGHT = 480;
    static final int MIN_SIZE = 100;
    static final int MAX_SIZE = 4000;

    public ChartSpec {
        Objects.requireNonNull(title, "chart title");
        Objects.requireNonNull(xLabel, "x label");
        Objects.requireNonNull(yLabel, "y label");
        Objects.requireNonNull(style, "style");
        series = List.copyOf(series);
        if (series.isEmpty()) {
            throw new IllegalArgumentException("chart '" + title + "' has no series: add at least one with series(...)");
        }
        Set<String> names = new HashSet<>();
        for (Series s : series) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("chart '" + title + "' has two series named '" + s.name()
                        + "': legend names must be unique");
            }
        }
        checkSize("width", width, title);
        checkSize("height", height, title);
    }

    private static void checkSize(String what, int value, String title) {
        if (value < MIN_SIZE || value > MAX_SIZE) {
            throw new IllegalArgumentException("chart '" + title + "': " + what + " " + value
                    + " px is outside [" + MIN_SIZE + ", " + MAX_SIZE + "]");
        }
    }

    /**
     * @param title chart title
     * @return a builder with empty axis labels, linear axes, lines and the default size
     */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** Collects the parts of a {@link ChartSpec}; {@link #build()} checks them. */
    public static final class Builder {
        private final String title;
        private String xLabel = "";
        private String yLabel = "";
        private boolean logX;
        private boolean logY;
        private Style style = Style.LINE;
        private final List<Series> series = new ArrayList<>();
        private int width = DEFAULT_WIDTH;
        private int height = DEFAULT_HEIGHT;

        private Builder(String title) {
            this.title = Objects.requireNonNull(title, "chart title");
        }

        public Builder xLabel(String label) {
            this.xLabel = Objects.requireNonNull(label, "x label");
            return this;
        }

        public Builder yLabel(String label) {
            this.yLabel = Objects.requireNonNull(label, "y label");
            return this;
        }

        /** Logarithmic x axis, e.g. for a learning-rate grid. */
        public Builder logX() {
            this.logX = true;
            return this;
        }

        /** Logarithmic y axis, e.g. for a loss over several decades. */
        public Builder logY() {
            this.logY = true;
            return this;
        }

        /** Draw points alone instead of lines. */
        public Builder scatter() {
            this.style = Style.SCATTER;
            return this;
        }

        public Builder style(Style style) {
            this.style = Objects.requireNonNull(style, "style");
            return this;
        }

        public Builder series(Series s) {
            series.add(Objects.requireNonNull(s, "series"));
            return this;
        }

        public Builder series(List<Series> all) {
            all.forEach(this::series);
            return this;
        }

        /** Image size in pixels, each in [100, 4000]. */
        public Builder size(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        public ChartSpec build() {
            return new ChartSpec(title, xLabel, yLabel, logX, logY, style, series, width, height);
        }
    }
}

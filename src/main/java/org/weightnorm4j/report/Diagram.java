package org.weightnorm4j.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A 2-D vector diagram: arrows, dashed guide lines, circles and labels in data coordinates, drawn
 * with equal scales on both axes (so a right angle looks right and a circle is round). For the
 * geometry a chart of series cannot show: vectors from the origin, a projection, a tangent step.
 * {@link DiagramSvg} draws it as SVG; a {@link Report} embeds it like a chart.
 *
 * <p>Colours are indices into the charts' Okabe–Ito palette, so a diagram and the charts of one
 * report share their colours. All text is plain text and is escaped.
 *
 * @param title  the heading drawn above the diagram
 * @param width  pixels, 100..4000
 * @param height pixels, 100..4000
 * @param shapes what to draw, in order (later on top)
 */
public record Diagram(String title, int width, int height, List<Shape> shapes) {

    public Diagram {
        Objects.requireNonNull(title, "diagram title");
        if (width < 100 || width > 4000 || height < 100 || height > 4000) {
            throw new IllegalArgumentException("diagram '" + title + "': size " + width + "x" + height
                    + " is outside 100..4000");
        }
        shapes = List.copyOf(shapes);
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException("diagram '" + title + "' has nothing to draw");
        }
        for (Shape s : shapes) {
            s.requireFinite(title);
        }
    }

    /** @return an empty builder for a 640×480 diagram */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** One thing drawn. */
    public sealed interface Shape permits Arrow, Line, Circle, Label {
        /** The smallest and largest x and y the shape covers: {@code {minX, minY, maxX, maxY}}. */
        double[] bounds();

        /** Legend text; empty for none. */
        default String legend() {
            return "";
        }

        private void requireFinite(String title) {
            for (double b : bounds()) {
                if (!Double.isFinite(b)) {
                    throw new IllegalArgumentException("diagram '" + title + "': a shape has a NaN or infinite coordinate");
                }
            }
        }
    }

    /** An arrow from (x0, y0) to (x1, y1), labelled at its head; {@code legend} explains it below the drawing. */
    public record Arrow(double x0, double y0, double x1, double y1, int colour, String label, String legend)
            implements Shape {
        public Arrow {
            Objects.requireNonNull(label, "arrow label");
            Objects.requireNonNull(legend, "arrow legend");
        }

        @Override
        public double[] bounds() {
            return new double[] {Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)};
        }
    }

    /** A thin guide line, dashed or solid. */
    public record Line(double x0, double y0, double x1, double y1, int colour, boolean dashed) implements Shape {
        @Override
        public double[] bounds() {
            return new double[] {Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1)};
        }
    }

    /** A circle outline, dashed or solid, with an optional legend. */
    public record Circle(double cx, double cy, double r, int colour, boolean dashed, String legend) implements Shape {
        public Circle {
            Objects.requireNonNull(legend, "circle legend");
        }

        @Override
        public double[] bounds() {
            return new double[] {cx - r, cy - r, cx + r, cy + r};
        }
    }

    /** Text at a point (its left end on the baseline). */
    public record Label(double x, double y, String text, int colour) implements Shape {
        public Label {
            Objects.requireNonNull(text, "label text");
        }

        @Override
        public double[] bounds() {
            return new double[] {x, y, x, y};
        }
    }

    /** Collects shapes in drawing order. */
    public static final class Builder {
        private final String title;
        private int width = 640;
        private int height = 480;
        private final List<Shape> shapes = new ArrayList<>();

        private Builder(String title) {
            this.title = title;
        }

        public Builder size(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /** An arrow from the origin to {@code (x, y)}. */
        public Builder vector(double x, double y, int colour, String label, String legend) {
            return arrow(0, 0, x, y, colour, label, legend);
        }

        public Builder arrow(double x0, double y0, double x1, double y1, int colour, String label, String legend) {
            shapes.add(new Arrow(x0, y0, x1, y1, colour, label, legend));
            return this;
        }

        public Builder line(double x0, double y0, double x1, double y1, int colour, boolean dashed) {
            shapes.add(new Line(x0, y0, x1, y1, colour, dashed));
            return this;
        }

        public Builder circle(double cx, double cy, double r, int colour, boolean dashed, String legend) {
            shapes.add(new Circle(cx, cy, r, colour, dashed, legend));
            return this;
        }

        public Builder label(double x, double y, String text, int colour) {
            shapes.add(new Label(x, y, text, colour));
            return this;
        }

        public Diagram build() {
            return new Diagram(title, width, height, shapes);
        }
    }
}

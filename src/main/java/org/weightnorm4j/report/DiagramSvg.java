package org.weightnorm4j.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link Diagram} as a standalone SVG document: the title on top, the drawing with equal
 * x and y scales in the middle (y up, as in mathematics), light axes through the origin, and one
 * legend line per explained shape below. Hand-written SVG (a few hundred bytes per shape), with
 * real {@code <text>}, so the words are searchable; a {@code <title>} and {@code <desc>} as in
 * the charts' SVGs.
 */
final class DiagramSvg {
    private static final int TITLE_H = 34;
    private static final int LEGEND_LINE_H = 20;
    private static final int MARGIN = 28;
    private static final double HEAD = 11;
    private static final String FONT = "font-family=\"DejaVu Sans, Verdana, sans-serif\"";

    private DiagramSvg() {
    }

    /** The sentence for {@code <desc>} and the page's {@code alt}: what each shape is. */
    static String describe(Diagram d) {
        List<String> parts = new ArrayList<>();
        for (Diagram.Shape s : d.shapes()) {
            if (!s.legend().isEmpty()) {
                parts.add(s.legend());
            }
        }
        return parts.isEmpty() ? "A vector diagram." : "A vector diagram: " + String.join("; ", parts) + ".";
    }

    static String render(Diagram d) {
        List<Diagram.Shape> legends = d.shapes().stream().filter(s -> !s.legend().isEmpty()).toList();
        int plotTop = TITLE_H;
        int plotBottom = d.height() - MARGIN / 2 - legends.size() * LEGEND_LINE_H;
        if (plotBottom - plotTop < 60) {
            throw new IllegalArgumentException("diagram '" + d.title() + "': " + d.height()
                    + " pixels are too few for the drawing and its " + legends.size() + " legend lines");
        }
        Frame f = Frame.fit(d, MARGIN, plotTop, d.width() - MARGIN, plotBottom);
        StringBuilder b = new StringBuilder(4096);
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(d.width()).append("\" height=\"")
                .append(d.height()).append("\" viewBox=\"0 0 ").append(d.width()).append(' ').append(d.height())
                .append("\">\n  <title>").append(SvgText.xml(d.title())).append("</title>\n  <desc>")
                .append(SvgText.xml(describe(d))).append("</desc>\n")
                .append("  <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n")
                .append("  <text x=\"").append(d.width() / 2).append("\" y=\"22\" text-anchor=\"middle\" font-size=\"16\" ")
                .append(FONT).append(" fill=\"#222222\">").append(SvgText.xml(d.title())).append("</text>\n");
        axes(b, f);
        for (Diagram.Shape s : d.shapes()) {
            if (s instanceof Diagram.Line l) {
                line(b, f.x(l.x0()), f.y(l.y0()), f.x(l.x1()), f.y(l.y1()), colour(l.colour()), 1.5, l.dashed());
            } else if (s instanceof Diagram.Circle c) {
                b.append("  <circle cx=\"").append(n(f.x(c.cx()))).append("\" cy=\"").append(n(f.y(c.cy())))
                        .append("\" r=\"").append(n(c.r() * f.scale())).append("\" fill=\"none\" stroke=\"")
                        .append(colour(c.colour())).append("\" stroke-width=\"1.8\"")
                        .append(c.dashed() ? " stroke-dasharray=\"7 5\"" : "").append("/>\n");
            } else if (s instanceof Diagram.Arrow a) {
                arrow(b, f, a);
            } else if (s instanceof Diagram.Label l) {
                text(b, f.x(l.x()), f.y(l.y()), l.text(), colour(l.colour()), "start");
            }
        }
        int y = plotBottom + LEGEND_LINE_H;
        for (Diagram.Shape s : legends) {
            int c = s instanceof Diagram.Arrow a ? a.colour() : ((Diagram.Circle) s).colour();
            boolean dashed = s instanceof Diagram.Circle circle && circle.dashed();
            line(b, MARGIN, y - 5, MARGIN + 26, y - 5, colour(c), 2.5, dashed);
            b.append("  <text x=\"").append(MARGIN + 34).append("\" y=\"").append(y).append("\" font-size=\"13\" ")
                    .append(FONT).append(" fill=\"#222222\">").append(SvgText.xml(s.legend())).append("</text>\n");
            y += LEGEND_LINE_H;
        }
        return b.append("</svg>\n").toString();
    }

    /** Data → pixel: one scale for both axes, the data's box centred in the plot area, y flipped. */
    private record Frame(double scale, double cx, double cy, double px, double py) {
        static Frame fit(Diagram d, double left, double top, double right, double bottom) {
            double minX = 0, minY = 0, maxX = 0, maxY = 0;                       // the origin is always shown
            for (Diagram.Shape s : d.shapes()) {
                double[] bb = s.bounds();
                minX = Math.min(minX, bb[0]);
                minY = Math.min(minY, bb[1]);
                maxX = Math.max(maxX, bb[2]);
                maxY = Math.max(maxY, bb[3]);
            }
            double spanX = Math.max(maxX - minX, 1e-12);
            double spanY = Math.max(maxY - minY, 1e-12);
            // 12 % of room on each side for arrow heads and labels.
            double scale = Math.min((right - left) / (1.24 * spanX), (bottom - top) / (1.24 * spanY));
            return new Frame(scale, (minX + maxX) / 2, (minY + maxY) / 2, (left + right) / 2, (top + bottom) / 2);
        }

        double x(double v) {
            return px + (v - cx) * scale;
        }

        double y(double v) {
            return py - (v - cy) * scale;
        }
    }

    private static void axes(StringBuilder b, Frame f) {
        double reach = 4000;
        line(b, f.x(0) - reach, f.y(0), f.x(0) + reach, f.y(0), "#d0d0d0", 1, false);
        line(b, f.x(0), f.y(0) - reach, f.x(0), f.y(0) + reach, "#d0d0d0", 1, false);
    }

    private static void arrow(StringBuilder b, Frame f, Diagram.Arrow a) {
        double x0 = f.x(a.x0()), y0 = f.y(a.y0()), x1 = f.x(a.x1()), y1 = f.y(a.y1());
        double len = Math.hypot(x1 - x0, y1 - y0);
        String c = colour(a.colour());
        if (len < 1e-9) {
            return;                                                              // a zero vector: nothing to point with
        }
        double ux = (x1 - x0) / len, uy = (y1 - y0) / len;
        double head = Math.min(HEAD, len * 0.5);
        // The shaft stops at the head's base so the line does not poke through the tip.
        line(b, x0, y0, x1 - ux * head, y1 - uy * head, c, 2.5, false);
        double bx = x1 - ux * head, by = y1 - uy * head;
        double w = head * 0.45;
        b.append("  <polygon points=\"").append(n(x1)).append(',').append(n(y1)).append(' ')
                .append(n(bx - uy * w)).append(',').append(n(by + ux * w)).append(' ')
                .append(n(bx + uy * w)).append(',').append(n(by - ux * w)).append("\" fill=\"").append(c).append("\"/>\n");
        if (!a.label().isEmpty()) {
            // The label sits just beyond the head, on the side the arrow points to.
            double lx = x1 + ux * 8 + (ux < -0.3 ? -4 : 4);
            double ly = y1 + uy * 8 + (uy > 0 ? 14 : -4);
            text(b, lx, ly, a.label(), c, ux < -0.3 ? "end" : "start");
        }
    }

    private static void line(StringBuilder b, double x0, double y0, double x1, double y1, String colour, double width,
                             boolean dashed) {
        b.append("  <line x1=\"").append(n(x0)).append("\" y1=\"").append(n(y0)).append("\" x2=\"").append(n(x1))
                .append("\" y2=\"").append(n(y1)).append("\" stroke=\"").append(colour).append("\" stroke-width=\"")
                .append(n(width)).append('"').append(dashed ? " stroke-dasharray=\"7 5\"" : "").append("/>\n");
    }

    private static void text(StringBuilder b, double x, double y, String s, String colour, String anchor) {
        b.append("  <text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
                .append("\" font-size=\"14\" font-weight=\"bold\" ").append(FONT).append(" fill=\"").append(colour)
                .append("\">").append(SvgText.xml(s)).append("</text>\n");
    }

    private static String colour(int index) {
        Color c = ChartStyle.PALETTE[Math.floorMod(index, ChartStyle.PALETTE.length)];
        return String.format(Locale.ROOT, "#%06x", c.getRGB() & 0xFFFFFF);
    }

    private static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}

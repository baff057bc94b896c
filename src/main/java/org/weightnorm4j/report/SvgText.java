package org.weightnorm4j.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finishes the SVG that XChart writes. XChart draws text as glyph outlines, so the file holds
 * no searchable word; we add a {@code <title>} (the chart title) and a {@code <desc>} (axes,
 * series names, what was not drawn), which viewers show as a tooltip and screen readers read.
 * We also drop the DOCTYPE, whose DTD address would make naive XML parsers go to the network.
 */
final class SvgText {
    private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE[^>]*>\\s*");
    private static final Pattern SVG_OPEN = Pattern.compile("<svg\\b[^>]*>");

    private SvgText() {
    }

    static String finish(String svg, ChartSpec spec, List<String> notes) {
        String out = DOCTYPE.matcher(svg).replaceFirst("");
        Matcher m = SVG_OPEN.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("the SVG encoder wrote no <svg> element for chart '" + spec.title() + "'");
        }
        String meta = "\n  <title>" + xml(spec.title()) + "</title>\n  <desc>" + xml(describe(spec, notes)) + "</desc>";
        return out.substring(0, m.end()) + meta + out.substring(m.end());
    }

    /** One plain sentence per fact: axes, series, omissions. */
    static String describe(ChartSpec spec, List<String> notes) {
        StringBuilder b = new StringBuilder();
        b.append("x: ").append(spec.xLabel().isEmpty() ? "(unlabelled)" : spec.xLabel())
                .append(spec.logX() ? " (log scale)" : "")
                .append("; y: ").append(spec.yLabel().isEmpty() ? "(unlabelled)" : spec.yLabel())
                .append(spec.logY() ? " (log scale)" : "")
                .append(". Series: ");
        for (int i = 0; i < spec.series().size(); i++) {
            b.append(i == 0 ? "" : ", ").append(spec.series().get(i).name());
        }
        b.append('.');
        for (String n : notes) {
            b.append(' ').append(n);
        }
        return b.toString();
    }

    /** Escapes text for an XML element or attribute; drops characters XML 1.0 cannot hold. */
    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        b.append(c);
                    } else {
                        b.append('\uFFFD');
                    }
                }
            }
        }
        return b.toString();
    }
}

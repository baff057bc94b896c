package org.weightnorm4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class DiagramTest {

    private static Diagram sample() {
        return Diagram.builder("Right <angle> & circle").size(600, 500)
                .circle(0, 0, 2, 0, false, "a circle of radius 2")
                .vector(2, 0, 1, "a", "the vector (2, 0)")
                .vector(0, 1, 2, "b", "")
                .line(-1, -1, 1, 1, 3, true)
                .label(0.5, 0.5, "x < y", 6)
                .build();
    }

    @Test
    void theSvgIsWellFormedEscapedAndDrawsWithOneScale() throws Exception {
        String svg = DiagramSvg.render(sample());
        Document doc = Xml.parse(svg);
        assertEquals("Right <angle> & circle", doc.getElementsByTagName("title").item(0).getTextContent());
        assertTrue(doc.getElementsByTagName("desc").item(0).getTextContent().contains("the vector (2, 0)"));
        assertFalse(svg.contains("<angle>") || svg.contains("x < y"), "text is escaped");
        // Equal scales: the circle's pixel radius equals the pixel length of the arrow (2, 0) up to its head.
        Element circle = (Element) doc.getElementsByTagName("circle").item(0);
        double r = Double.parseDouble(circle.getAttribute("r"));
        double cx = Double.parseDouble(circle.getAttribute("cx"));
        Element head = (Element) doc.getElementsByTagName("polygon").item(0);
        double tipX = Double.parseDouble(head.getAttribute("points").split("[ ,]")[0]);
        assertEquals(r, tipX - cx, 0.11, "x and y share one scale, so (2, 0) reaches the circle of radius 2");
        // Legend lines: only shapes with a legend (the circle and the first vector).
        assertEquals(2, svg.split("the vector \\(2, 0\\)|a circle of radius 2", -1).length - 1 - 2,
                "each legend appears in the legend and in <desc>");
    }

    @Test
    void badDiagramsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Diagram.builder("nan").vector(Double.NaN, 1, 0, "", "").build());
        assertThrows(IllegalArgumentException.class, () -> Diagram.builder("empty").build());
        assertThrows(IllegalArgumentException.class, () -> Diagram.builder("tiny").size(50, 50).vector(1, 1, 0, "", "").build());
    }

    @Test
    void aReportNumbersDiagramsWithChartsAndEmbedsThemAsSvg(@TempDir Path dir) throws Exception {
        ChartSpec chart = ChartSpec.builder("A line").series(Series.ofY("y", new double[] {1, 2, 3})).build();
        Path page = Report.builder("diagrams")
                .section(Section.builder("one").chart(chart, "first").diagram(sample(), "second <b>").build())
                .build().writeTo(dir);
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertTrue(html.contains("<strong>Figure 2.</strong> second &lt;b&gt;"));
        Matcher m = Pattern.compile("<img src=\"data:image/svg\\+xml;base64,([A-Za-z0-9+/=]+)\" width=\"600\" height=\"500\"")
                .matcher(html);
        assertTrue(m.find(), "the diagram is an inline SVG image of its size");
        String embedded = new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);
        Path file = dir.resolve("fig02-right-angle-circle.svg");
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), embedded, "the page embeds the file beside it");
        assertTrue(html.contains("<a href=\"fig02-right-angle-circle.svg\">SVG</a>"));
        assertFalse(html.contains("http://") || html.contains("https://"), "the namespace stays inside the data URI");
    }
}

package org.weightnorm4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

class ChartsTest {
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private static ChartSpec.Builder twoCurves(String title) {
        return ChartSpec.builder(title).xLabel("epoch").yLabel("loss")
                .series(Series.ofY("wn", new double[] {2.0, 1.1, 0.7, 0.5, 0.41}))
                .series(Series.ofY("normal", new double[] {2.1, 1.5, 1.0, 0.8, 0.66}));
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of(800, 480, ChartSpec.Style.LINE, false, false),
                Arguments.of(640, 400, ChartSpec.Style.SCATTER, false, true),
                Arguments.of(333, 211, ChartSpec.Style.LINE, true, true),
                Arguments.of(1200, 700, ChartSpec.Style.SCATTER, true, false));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void pngDecodesAtTheRequestedSize(int w, int h, ChartSpec.Style style, boolean logX, boolean logY,
                                      @TempDir Path dir) throws Exception {
        ChartSpec.Builder b = twoCurves("size " + w + "x" + h).size(w, h).style(style);
        if (logX) {
            b.logX();
        }
        if (logY) {
            b.logY();
        }
        Path file = dir.resolve("c.png");
        Charts.writePng(b.build(), file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, "ImageIO could not decode " + file);
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
        assertTrue(distinctColours(img) > 4, "the image is nearly one colour: nothing was drawn");
    }

    @Test
    void svgIsWellFormedAndNamesTitleAndSeries(@TempDir Path dir) throws Exception {
        ChartSpec spec = ChartSpec.builder("loss <&> \"quoted\"").xLabel("step").yLabel("||v||")
                .series(Series.ofY("wn-mobn", new double[] {1, 2, 3}))
                .series(Series.ofY("a<b & c", new double[] {3, 2, 1}))
                .build();
        Path file = dir.resolve("c.svg");
        Charts.writeSvg(spec, file);
        String svg = Files.readString(file, StandardCharsets.UTF_8);
        Document doc = Xml.parse(svg);
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        assertEquals("loss <&> \"quoted\"", doc.getElementsByTagName("title").item(0).getTextContent());
        String desc = doc.getElementsByTagName("desc").item(0).getTextContent();
        assertTrue(desc.contains("wn-mobn"), desc);
        assertTrue(desc.contains("a<b & c"), desc);
        assertTrue(desc.contains("||v||"), desc);
        assertFalse(svg.contains("<!DOCTYPE"), "the DOCTYPE (a network address) should be dropped");
        assertTrue(doc.getElementsByTagName("path").getLength() > 10, "the SVG draws nothing");
    }

    @Test
    void nonFinitePointsAreLeftOutAndNoted() throws Exception {
        ChartSpec spec = ChartSpec.builder("diverged").xLabel("epoch").yLabel("loss")
                .series(Series.ofY("wn", new double[] {2, 1, 0.5, 0.4}))
                .series(Series.ofY("normal", new double[] {2, 5, NAN, INF}))
                .build();
        List<String> notes = Charts.notes(spec);
        assertEquals(List.of("'normal': 2 of 4 points are NaN or infinite (the first at x = 3) and not drawn."), notes);
        PlotData data = PlotData.of(spec);
        assertEquals("normal (2 of 4 points not drawn)", data.drawn().get(1).legend());
        assertEquals("wn", data.drawn().get(0).legend());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Charts.png(spec)));
        assertEquals(ChartSpec.DEFAULT_WIDTH, img.getWidth());
        Document doc = Xml.parse(Charts.svg(spec));
        assertTrue(doc.getElementsByTagName("desc").item(0).getTextContent().contains("NaN or infinite"));
    }

    @Test
    void aSeriesWithNoFinitePointIsNamedAndTheOthersStillDrawn() throws Exception {
        ChartSpec spec = ChartSpec.builder("lr sweep").xLabel("learning rate").yLabel("final loss").logX()
                .series(new Series("wn", new double[] {1e-3, 1e-2, 1e-1, 1}, new double[] {0.5, 0.3, 0.35, 0.6}))
                .series(new Series("normal", new double[] {1e-3, 1e-2, 1e-1, 1}, new double[] {NAN, NAN, NAN, NAN}))
                .build();
        PlotData data = PlotData.of(spec);
        assertEquals(1, data.drawn().size());
        assertEquals(List.of("normal"), data.missing(spec));
        assertTrue(data.notes().contains("'normal' has no drawable point and is not shown."), data.notes().toString());
        assertEquals(ChartSpec.DEFAULT_HEIGHT, ImageIO.read(new ByteArrayInputStream(Charts.png(spec))).getHeight());
        Xml.parse(Charts.svg(spec));
    }

    @Test
    void aChartWithNothingDrawableStillRenders() throws Exception {
        ChartSpec spec = ChartSpec.builder("all diverged").logY()
                .series(Series.ofY("normal", new double[] {NAN, -INF}))
                .series(Series.ofY("zero", new double[] {0, -1}))
                .series(Series.ofY("empty", new double[0]))
                .build();
        PlotData data = PlotData.of(spec);
        assertTrue(data.drawn().isEmpty());
        assertTrue(data.notes().contains("'zero': 2 of 2 points are not positive and cannot be drawn on the logarithmic axis."),
                data.notes().toString());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Charts.png(spec)));
        assertEquals(ChartSpec.DEFAULT_WIDTH, img.getWidth());
        Xml.parse(Charts.svg(spec));
    }

    @Test
    void logAxisLeavesOutNonPositivePointsOnly() {
        ChartSpec spec = ChartSpec.builder("log").logY()
                .series(Series.ofY("s", new double[] {1, 0, 1e-3, -2, 10}))
                .build();
        PlotData.Drawn d = PlotData.of(spec).drawn().get(0);
        assertEquals(3, d.y().length);
        assertEquals("s (2 of 5 points not drawn)", d.legend());
    }

    @Test
    void logAxesLabelMoreThanPowersOfTenWhenFewFallInTheRange() {
        assertEquals(1, ChartStyle.powersOfTen(new double[] {0.13, 3}));
        assertEquals(0, ChartStyle.powersOfTen(new double[] {7, 9}));
        assertEquals(5, ChartStyle.powersOfTen(new double[] {1e-4, 1}));
        assertEquals(2, ChartStyle.powersOfTen(new double[] {0.001, 0.01}));
        assertEquals(0, ChartStyle.powersOfTen(null));
    }

    @Test
    void aConstantSeriesAndASinglePointRender() throws Exception {
        ChartSpec spec = ChartSpec.builder("flat")
                .series(Series.ofY("flat", new double[] {1, 1, 1}))
                .series(new Series("one", new double[] {2}, new double[] {1}))
                .build();
        assertNotNull(ImageIO.read(new ByteArrayInputStream(Charts.png(spec))));
    }

    @Test
    void writingLeavesNoTemporaryFileAndReplacesTheOldFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.png");
        Files.writeString(file, "old");
        Charts.writePng(twoCurves("t").build(), file);
        assertNotNull(ImageIO.read(file.toFile()));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void chartsRunHeadless() {
        Charts.notes(twoCurves("t").build());
        assertEquals("true", System.getProperty("java.awt.headless"));
        assertTrue(java.awt.GraphicsEnvironment.isHeadless());
    }

    private static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }
}

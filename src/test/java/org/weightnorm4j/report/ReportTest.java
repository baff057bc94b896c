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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final MachineInfo MACHINE =
            new MachineInfo("Linux 6.1 (amd64)", 2, "OpenJDK 64-Bit Server VM, Debian, Java 17", "3072 MiB", "0.1.0", "scalar");

    private static Report sample() {
        ChartSpec loss = ChartSpec.builder("Training loss").xLabel("epoch").yLabel("loss").size(640, 400)
                .series(Series.ofY("wn", new double[] {2.0, 1.0, 0.6, 0.5}))
                .series(Series.ofY("normal", new double[] {2.0, 4.0, Double.NaN, Double.NaN}))
                .build();
        ChartSpec sweep = ChartSpec.builder("Final loss vs learning rate").xLabel("lr").yLabel("loss").logX().logY()
                .scatter().size(500, 300)
                .series(new Series("wn", new double[] {1e-3, 1e-2, 1e-1}, new double[] {0.4, 0.3, 0.5}))
                .build();
        return Report.builder("Compare <wn> & \"bn\"")
                .conclusions("wn converged <b>faster</b>.\n\nnormal diverged at epoch 3.")
                .section(Section.builder("Curves")
                        .paragraph("Loss per epoch & more.")
                        .chart(loss, "Mean training loss per epoch.")
                        .table(Table.builder("param", "final loss", "test error %").caption("Final numbers")
                                .row("wn", 0.23456, 8.46)
                                .row("normal <x>", Double.NaN, 90)
                                .build())
                        .build())
                .section(Section.builder("Sweep")
                        .chart(sweep)
                        .preformatted("log", "step 1 <ok>\nstep 2")
                        .build())
                .command(List.of("weightnorm", "compare", "--model", "mlp", "--note", "a b"))
                .machine(MACHINE)
                .timestamp(Instant.parse("2026-01-02T03:04:05.678Z"))
                .build();
    }

    @Test
    void pageEscapesUserTextAndHoldsTablesAndProvenance(@TempDir Path dir) throws Exception {
        Path page = sample().writeTo(dir);
        assertEquals(dir.resolve("report.html"), page);
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<title>Compare &lt;wn&gt; &amp; &quot;bn&quot;</title>"), "escaped title");
        assertTrue(html.contains("<h1>Compare &lt;wn&gt; &amp; &quot;bn&quot;</h1>"));
        assertFalse(html.contains("<wn>") || html.contains("<b>") || html.contains("<x>") || html.contains("<ok>"),
                "user text must not become markup");
        assertTrue(html.contains("<p>wn converged &lt;b&gt;faster&lt;/b&gt;.</p>\n<p>normal diverged at epoch 3.</p>"));
        assertTrue(html.contains("<caption>Final numbers</caption>"));
        assertTrue(html.contains("<th scope=\"col\">param</th><th scope=\"col\" class=\"num\">final loss</th>"));
        assertTrue(html.contains("<tr><td>wn</td><td class=\"num\">0.2346</td><td class=\"num\">8.46</td></tr>"));
        assertTrue(html.contains("<tr><td>normal &lt;x&gt;</td><td class=\"num\">NaN</td><td class=\"num\">90</td></tr>"));
        assertTrue(html.contains("<pre>step 1 &lt;ok&gt;\nstep 2</pre>"));
        assertTrue(html.contains("<pre class=\"command\">weightnorm compare --model mlp --note &#39;a b&#39;</pre>"));
        assertTrue(html.contains("2026-01-02 03:04:05 UTC"));
        for (String v : MACHINE.rows().values()) {
            assertTrue(html.contains("<td>" + Html.escape(v) + "</td>"), v);
        }
        assertTrue(html.contains("'normal': 2 of 4 points are NaN or infinite (the first at x = 3) and not drawn.".replace("'", "&#39;")),
                "the caption must say what was not drawn");
        assertTrue(html.contains("<a href=\"#s2\">Sweep</a>"));
        assertFalse(html.contains("<script"), "the page needs no script");
    }

    @Test
    void chartsAreInlinePngsOfTheirSizeAndFilesSitBeside(@TempDir Path dir) throws Exception {
        String html = Files.readString(sample().writeTo(dir), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" width=\"(\\d+)\" height=\"(\\d+)\"")
                .matcher(html);
        List<int[]> sizes = new ArrayList<>();
        while (m.find()) {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
            assertNotNull(img, "an embedded image is not a PNG");
            assertEquals(Integer.parseInt(m.group(2)), img.getWidth());
            assertEquals(Integer.parseInt(m.group(3)), img.getHeight());
            sizes.add(new int[] {img.getWidth(), img.getHeight()});
        }
        assertEquals(2, sizes.size(), "one inline image per figure");
        assertEquals(640, sizes.get(0)[0]);
        assertEquals(300, sizes.get(1)[1]);
        for (String f : List.of("fig01-training-loss", "fig02-final-loss-vs-learning-rate")) {
            assertNotNull(ImageIO.read(dir.resolve(f + ".png").toFile()), f);
            Xml.parse(Files.readString(dir.resolve(f + ".svg"), StandardCharsets.UTF_8));
        }
    }

    @Test
    void pageRefersToNothingOutsideItsDirectory(@TempDir Path dir) throws Exception {
        String html = Files.readString(sample().writeTo(dir), StandardCharsets.UTF_8);
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("url("),
                "no external resource");
        Matcher m = Pattern.compile("\\b(src|href)=\"([^\"]*)\"").matcher(html);
        int refs = 0;
        while (m.find()) {
            refs++;
            String v = m.group(2);
            if (v.startsWith("data:image/png;base64,") || v.startsWith("#")) {
                continue;
            }
            assertFalse(v.contains("/") || v.contains(":"), "a link leaves the directory: " + v);
            assertTrue(Files.isRegularFile(dir.resolve(v)), "a link points to a missing file: " + v);
        }
        assertTrue(refs >= 6, "expected images, chart file links and contents links, found " + refs);
    }

    @Test
    void rewritingReplacesTheReportAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Report r = sample();
        r.writeTo(dir);
        r.writeTo(dir);
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("fig01-training-loss.png", "fig01-training-loss.svg",
                    "fig02-final-loss-vs-learning-rate.png", "fig02-final-loss-vs-learning-rate.svg", "report.html"), names);
        }
    }

    @Test
    void aMinimalReportHasNoEmptySections(@TempDir Path dir) throws Exception {
        String html = Files.readString(Report.builder("only a title").machine(MACHINE).build().writeTo(dir.resolve("new/sub")),
                StandardCharsets.UTF_8);
        assertFalse(html.contains("Conclusions"));
        assertFalse(html.contains("<nav"));
        assertTrue(html.contains("Not recorded."));
    }

    @Test
    void theCurrentMachineNamesTheKernelsAndTheJvm() {
        MachineInfo m = MachineInfo.current();
        assertTrue(m.cpus() >= 1);
        assertTrue(m.jvm().contains(System.getProperty("java.version")));
        assertFalse(m.kernels().isBlank());
        assertEquals("development build", m.weightnorm4j(), "tests run from classes, not from a jar");
    }
}

package org.weightnorm4j.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainReportTest {

    @Test
    void thePageHoldsTheStepsTheFiguresAndTheReadingList(@TempDir Path dir) throws Exception {
        ExplainResult r = Explain.standard(1).run();
        Path page = ExplainReport.write(r, List.of("weightnorm", "explain", "--report", dir.toString()), dir);
        String html = Files.readString(page, StandardCharsets.UTF_8);
        for (DerivationSteps.Evaluated s : r.steps()) {
            assertTrue(html.contains(s.why().replace("'", "&#39;")), "missing the step: " + s.expression());
        }
        assertTrue(html.contains("Where to learn this"));
        assertTrue(html.contains("Trefethen"), "the reading list comes from THEORY.md");
        assertFalse(html.contains("http://") || html.contains("https://"), "the page needs no network");
        assertFalse(html.contains("<script"));
        // Two vector diagrams (SVG) and two charts (PNG), each one <img> with its file beside the page.
        assertEquals(2, count(html, "<img src=\"data:image/svg+xml;base64,"));
        assertEquals(2, count(html, "<img src=\"data:image/png;base64,"));
        Matcher m = Pattern.compile("href=\"(fig[^\"]+)\"").matcher(html);
        int files = 0;
        while (m.find()) {
            files++;
            assertTrue(Files.isRegularFile(dir.resolve(m.group(1))), m.group(1));
        }
        assertEquals(6, files, "two SVG diagrams, two charts as PNG and SVG");
        String projection = Files.readString(dir.resolve("fig01-eq-4-for-a-unit-with-two-inputs-v-l-w.svg"));
        assertTrue(projection.contains("the component along w that M_w removes"), "the diagram's legend is text");
    }

    @Test
    void theReadingListIsTheOneInTheory() throws Exception {
        List<String> fromDocs = FurtherReading.parse(Files.readString(Path.of("docs/THEORY.md"), StandardCharsets.UTF_8));
        assertEquals(fromDocs, FurtherReading.references(), "the jar's copy of THEORY.md is out of date");
        assertTrue(fromDocs.size() >= 5, fromDocs.toString());
        assertTrue(fromDocs.get(0).startsWith("Gilbert Strang, Introduction to Linear Algebra"), fromDocs.get(0));
        for (String ref : fromDocs) {
            assertFalse(ref.contains("*") || ref.contains("\n"), ref);
        }
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}

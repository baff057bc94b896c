package org.weightnorm4j.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.weightnorm4j.io.AtomicFiles;

/**
 * One experiment's report: a title, the conclusions in plain words, sections of figures, tables
 * and text, and how it was made (the command line, the machine and versions, the time).
 * {@link #writeTo(Path)} writes a directory that is read offline: every chart as
 * {@code figNN-name.png} and {@code figNN-name.svg} (a {@link Diagram} as SVG only), and {@value #FILE_NAME}, which embeds the
 * PNGs as data URIs and carries its own stylesheet, so the page alone is the whole report.
 *
 * <pre>{@code
 * Path html = Report.builder("compare: mlp on Fashion-MNIST")
 *         .conclusions("wn reached a training loss of 0.3 in 4 epochs, normal in 6.")
 *         .section(Section.builder("Training loss").chart(lossChart, "Mean loss per epoch.").build())
 *         .section(Section.builder("Final numbers").table(finalTable).build())
 *         .command(List.of("weightnorm", "compare", "--model", "mlp"))
 *         .build()
 *         .writeTo(Path.of("runs/compare-mlp"));
 * }</pre>
 *
 * <p>All text is plain text and is escaped; nothing the caller passes can add markup.
 */
public final class Report {
    /** The page's file name inside the report directory. */
    public static final String FILE_NAME = "report.html";

    private final String title;
    private final String conclusions;
    private final List<Section> sections;
    private final String command;
    private final MachineInfo machine;
    private final Instant timestamp;

    private Report(Builder b) {
        this.title = b.title;
        this.conclusions = b.conclusions;
        this.sections = List.copyOf(b.sections);
        this.command = b.command;
        this.machine = b.machine != null ? b.machine : MachineInfo.current();
        this.timestamp = (b.timestamp != null ? b.timestamp : Instant.now()).truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * @param title the page title
     * @return a builder; the machine and time default to this JVM and now
     */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    public String title() {
        return title;
    }

    /** @return the conclusions, plain text, blank lines between paragraphs; empty if none */
    public String conclusions() {
        return conclusions;
    }

    public List<Section> sections() {
        return sections;
    }

    /** @return the command line, shell-quoted; empty if not recorded */
    public String command() {
        return command;
    }

    public MachineInfo machine() {
        return machine;
    }

    /** @return when the report was made, to the second */
    public Instant timestamp() {
        return timestamp;
    }

    /**
     * Writes the charts and the page into {@code dir} (created if missing). Each file is
     * written atomically; the page is written last, so a {@value #FILE_NAME} that exists is
     * complete and its chart files exist beside it.
     *
     * @param dir the report directory
     * @return the path of {@value #FILE_NAME}
     * @throws IOException if a file cannot be written
     */
    public Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<Block, ReportHtml.FigureFiles> figures = new IdentityHashMap<>();
        int number = 0;
        for (Section s : sections) {
            for (Block b : s.blocks()) {
                if (b instanceof Block.Figure f) {
                    number++;
                    String base = String.format(Locale.ROOT, "fig%02d-%s", number, slug(f.chart().title()));
                    Charts.Rendered r = Charts.render(f.chart());
                    AtomicFiles.write(dir.resolve(base + ".png"), r.png());
                    AtomicFiles.write(dir.resolve(base + ".svg"), r.svg().getBytes(StandardCharsets.UTF_8));
                    figures.put(f, new ReportHtml.FigureFiles(number, base + ".png", base + ".svg", r.png(), r.notes()));
                } else if (b instanceof Block.Picture p) {
                    number++;
                    String base = String.format(Locale.ROOT, "fig%02d-%s", number, slug(p.title()));
                    AtomicFiles.write(dir.resolve(base + ".png"), p.png());
                    figures.put(p, new ReportHtml.FigureFiles(number, base + ".png", null, p.png(), List.of()));
                } else if (b instanceof Block.Drawing d) {
                    number++;
                    String base = String.format(Locale.ROOT, "fig%02d-%s", number, slug(d.diagram().title()));
                    byte[] svg = DiagramSvg.render(d.diagram()).getBytes(StandardCharsets.UTF_8);
                    AtomicFiles.write(dir.resolve(base + ".svg"), svg);
                    figures.put(d, new ReportHtml.FigureFiles(number, null, base + ".svg", svg, List.of()));
                }
            }
        }
        Path page = dir.resolve(FILE_NAME);
        AtomicFiles.write(page, ReportHtml.render(this, figures).getBytes(StandardCharsets.UTF_8));
        return page;
    }

    /** A file-name-safe form of a title: lower-case ASCII words joined by '-', at most 40 characters. */
    static String slug(String title) {
        String s = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        if (s.length() > 40) {
            s = s.substring(0, 40);
        }
        s = s.replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "chart" : s;
    }

    /** Collects a report's parts; only the title is required. */
    public static final class Builder {
        private final String title;
        private String conclusions = "";
        private final List<Section> sections = new ArrayList<>();
        private String command = "";
        private MachineInfo machine;
        private Instant timestamp;

        private Builder(String title) {
            this.title = Objects.requireNonNull(title, "report title");
        }

        /** What the experiment showed, in plain words with the numbers; blank lines separate paragraphs. */
        public Builder conclusions(String text) {
            this.conclusions = Objects.requireNonNull(text, "conclusions");
            return this;
        }

        public Builder section(Section section) {
            sections.add(Objects.requireNonNull(section, "section"));
            return this;
        }

        /** The command line as the program received it; it is shell-quoted for display. */
        public Builder command(List<String> argv) {
            this.command = ShellWords.join(argv);
            return this;
        }

        /** The command line as one string, shown as given. */
        public Builder command(String line) {
            this.command = Objects.requireNonNull(line, "command");
            return this;
        }

        /** Overrides the machine description (for tests, or for a report about a run made elsewhere). */
        public Builder machine(MachineInfo machine) {
            this.machine = Objects.requireNonNull(machine, "machine");
            return this;
        }

        /** Overrides the time stamp (for tests, or for a report about an earlier run). */
        public Builder timestamp(Instant timestamp) {
            this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
            return this;
        }

        public Report build() {
            return new Report(this);
        }
    }
}

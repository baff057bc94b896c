package org.weightnorm4j.report;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link Report} as one HTML5 page: inline stylesheet, charts as PNG data URIs, no
 * script, no address outside the page (the only links are to the chart files beside it). Every
 * piece of user text goes through {@link Html#escape(String)}.
 */
final class ReportHtml {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /**
     * A figure as written to disk.
     *
     * @param number figure number, from 1, in page order
     * @param png    PNG file name, relative to the page; null for a diagram, which is SVG only
     * @param svg    SVG file name, relative to the page
     * @param bytes  the PNG (the SVG for a diagram), embedded in the page
     * @param notes  what was not drawn
     */
    record FigureFiles(int number, String png, String svg, byte[] bytes, List<String> notes) {
    }

    private final StringBuilder out = new StringBuilder(1 << 16);
    private final Map<Block, FigureFiles> figures;

    private ReportHtml(Map<Block, FigureFiles> figures) {
        this.figures = figures;
    }

    static String render(Report r, Map<Block, FigureFiles> figures) {
        ReportHtml h = new ReportHtml(figures);
        h.page(r);
        return h.out.toString();
    }

    private void page(Report r) {
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"weightnorm4j ").append(e(r.machine().weightnorm4j())).append("\">\n")
                .append("<title>").append(e(r.title())).append("</title>\n<style>\n").append(ReportCss.CSS).append("</style>\n")
                .append("</head>\n<body>\n<main>\n<header>\n<h1>").append(e(r.title())).append("</h1>\n")
                .append("<p class=\"meta\">").append(WHEN.format(r.timestamp()))
                .append(" \u00b7 weightnorm4j ").append(e(r.machine().weightnorm4j()))
                .append(" \u00b7 kernels: ").append(e(r.machine().kernels())).append("</p>\n</header>\n");
        if (!r.conclusions().isBlank()) {
            out.append("<section class=\"conclusions\" id=\"conclusions\">\n<h2>Conclusions</h2>\n");
            paragraphs(r.conclusions());
            out.append("</section>\n");
        }
        contents(r);
        for (int i = 0; i < r.sections().size(); i++) {
            section(i + 1, r.sections().get(i));
        }
        provenance(r);
        out.append("</main>\n</body>\n</html>\n");
    }

    private void contents(Report r) {
        if (r.sections().size() < 2) {
            return;
        }
        out.append("<nav class=\"toc\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n");
        for (int i = 0; i < r.sections().size(); i++) {
            out.append("<li><a href=\"#s").append(i + 1).append("\">").append(e(r.sections().get(i).heading()))
                    .append("</a></li>\n");
        }
        out.append("<li class=\"plain\"><a href=\"#provenance\">How this report was made</a></li>\n</ol>\n</nav>\n");
    }

    private void section(int n, Section s) {
        out.append("<section id=\"s").append(n).append("\">\n<h2>").append(n).append(". ").append(e(s.heading()))
                .append("</h2>\n");
        for (Block b : s.blocks()) {
            if (b instanceof Block.Paragraph p) {
                paragraphs(p.text());
            } else if (b instanceof Block.Figure f) {
                figure(f);
            } else if (b instanceof Block.Drawing d) {
                drawing(d);
            } else if (b instanceof Block.Picture p) {
                picture(p);
            } else if (b instanceof Table t) {
                table(t);
            } else if (b instanceof Block.Preformatted p) {
                preformatted(p);
            } else {
                throw new IllegalStateException("unknown block " + b.getClass().getName());
            }
        }
        out.append("</section>\n");
    }

    private void paragraphs(String text) {
        for (String para : text.strip().split("\\R\\s*\\R")) {
            if (!para.isBlank()) {
                out.append("<p>").append(e(para.strip())).append("</p>\n");
            }
        }
    }

    private void figure(Block.Figure f) {
        FigureFiles files = figures.get(f);
        if (files == null) {
            throw new IllegalStateException("figure '" + f.chart().title() + "' was not rendered");
        }
        ChartSpec c = f.chart();
        out.append("<figure id=\"fig-").append(files.number()).append("\">\n")
                .append("<img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(files.bytes()))
                .append("\" width=\"").append(c.width()).append("\" height=\"").append(c.height())
                .append("\" alt=\"").append(e(c.title() + ". " + SvgText.describe(c, files.notes()))).append("\">\n")
                .append("<figcaption><strong>Figure ").append(files.number()).append(".</strong> ");
        out.append(e(f.caption().isBlank() ? c.title() : f.caption().strip()));
        for (String note : files.notes()) {
            out.append("\n<span class=\"note\">").append(e(note)).append("</span>");
        }
        out.append("\n<span class=\"files\">Files: <a href=\"").append(e(files.png())).append("\">PNG</a> \u00b7 <a href=\"")
                .append(e(files.svg())).append("\">SVG</a></span></figcaption>\n</figure>\n");
    }

    private void picture(Block.Picture p) {
        FigureFiles files = figures.get(p);
        if (files == null) {
            throw new IllegalStateException("picture '" + p.title() + "' was not written");
        }
        out.append("<figure id=\"fig-").append(files.number()).append("\">\n")
                .append("<img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(files.bytes()))
                .append("\" width=\"").append(p.width()).append("\" height=\"").append(p.height())
                .append("\" alt=\"").append(e(p.title())).append("\">\n")
                .append("<figcaption><strong>Figure ").append(files.number()).append(".</strong> ")
                .append(e(p.caption().isBlank() ? p.title() : p.caption().strip()))
                .append("\n<span class=\"files\">File: <a href=\"").append(e(files.png()))
                .append("\">PNG</a></span></figcaption>\n</figure>\n");
    }

    private void drawing(Block.Drawing d) {
        FigureFiles files = figures.get(d);
        if (files == null) {
            throw new IllegalStateException("diagram '" + d.diagram().title() + "' was not rendered");
        }
        Diagram g = d.diagram();
        // An <img> of the SVG (not inline <svg>): the page keeps one image per figure, as for the charts.
        out.append("<figure id=\"fig-").append(files.number()).append("\">\n")
                .append("<img src=\"data:image/svg+xml;base64,").append(Base64.getEncoder().encodeToString(files.bytes()))
                .append("\" width=\"").append(g.width()).append("\" height=\"").append(g.height())
                .append("\" alt=\"").append(e(g.title() + ". " + DiagramSvg.describe(g))).append("\">\n")
                .append("<figcaption><strong>Figure ").append(files.number()).append(".</strong> ")
                .append(e(d.caption().isBlank() ? g.title() : d.caption().strip()))
                .append("\n<span class=\"files\">File: <a href=\"").append(e(files.svg()))
                .append("\">SVG</a></span></figcaption>\n</figure>\n");
    }

    private void table(Table t) {
        int cols = t.header().size();
        boolean[] numeric = new boolean[cols];
        for (int c = 0; c < cols; c++) {
            final int col = c;
            numeric[c] = !t.rows().isEmpty() && t.rows().stream().allMatch(row -> row.get(col).numeric());
        }
        out.append("<div class=\"table-wrap\">\n<table>\n");
        if (!t.caption().isBlank()) {
            out.append("<caption>").append(e(t.caption())).append("</caption>\n");
        }
        out.append("<thead>\n<tr>");
        for (int c = 0; c < cols; c++) {
            out.append("<th scope=\"col\"").append(numeric[c] ? " class=\"num\"" : "").append('>')
                    .append(e(t.header().get(c))).append("</th>");
        }
        out.append("</tr>\n</thead>\n<tbody>\n");
        for (List<Table.Cell> row : t.rows()) {
            out.append("<tr>");
            for (Table.Cell cell : row) {
                out.append(cell.numeric() ? "<td class=\"num\">" : "<td>").append(e(cell.text())).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n</div>\n");
    }

    private void preformatted(Block.Preformatted p) {
        out.append("<div class=\"pre\">\n");
        if (!p.title().isBlank()) {
            out.append("<div class=\"pre-title\">").append(e(p.title())).append("</div>\n");
        }
        out.append("<pre>").append(e(p.text())).append("</pre>\n</div>\n");
    }

    private void provenance(Report r) {
        out.append("<section id=\"provenance\" class=\"provenance\">\n<h2>How this report was made</h2>\n<h3>Command</h3>\n");
        if (r.command().isBlank()) {
            out.append("<p class=\"meta\">Not recorded.</p>\n");
        } else {
            out.append("<pre class=\"command\">").append(e(r.command())).append("</pre>\n");
        }
        out.append("<h3>Machine and versions</h3>\n<table class=\"kv\">\n<tbody>\n");
        for (Map.Entry<String, String> row : r.machine().rows().entrySet()) {
            out.append("<tr><th scope=\"row\">").append(e(row.getKey())).append("</th><td>").append(e(row.getValue()))
                    .append("</td></tr>\n");
        }
        out.append("<tr><th scope=\"row\">Generated</th><td>").append(WHEN.format(r.timestamp())).append("</td></tr>\n")
                .append("</tbody>\n</table>\n</section>\n");
    }

    private static String e(String s) {
        return Html.escape(s);
    }
}

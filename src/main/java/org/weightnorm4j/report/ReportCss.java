package org.weightnorm4j.report;

/**
 * The report's stylesheet, inlined into every page so the page needs no other file. System
 * fonts only (no web font to fetch); prints cleanly (no background boxes cut across pages).
 */
final class ReportCss {
    private ReportCss() {
    }

    static final String CSS = """
            :root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0;
                    --soft: #f6f8fa; --accent: #0b5cad; --warn: #9a3b00; }
            * { box-sizing: border-box; }
            body { margin: 0; background: #fff; color: var(--fg);
                   font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
                         "DejaVu Sans", Arial, sans-serif; }
            main { max-width: 960px; margin: 0 auto; padding: 32px 24px 64px; }
            h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .35rem; }
            h2 { font-size: 1.35rem; line-height: 1.3; margin: 2.4rem 0 .8rem; padding-bottom: .3rem;
                 border-bottom: 1px solid var(--line); }
            h3 { font-size: 1.05rem; margin: 1.4rem 0 .5rem; }
            p { margin: .6rem 0; }
            a { color: var(--accent); }
            .meta { color: var(--muted); font-size: .92rem; margin: 0 0 1.6rem; }
            .conclusions { background: #eef5fc; border-left: 4px solid var(--accent); border-radius: 6px;
                           padding: .3rem 1.2rem .6rem; }
            .conclusions h2 { border: 0; margin: .7rem 0 .2rem; padding: 0; font-size: 1.15rem; }
            nav.toc h2 { font-size: 1.05rem; border: 0; margin: 1.8rem 0 .3rem; padding: 0; }
            nav.toc ol { margin: 0; padding-left: 1.5rem; }
            nav.toc li.plain { list-style: none; margin-left: -1.5rem; }
            figure { margin: 1.6rem 0; }
            figure img { display: block; max-width: 100%; height: auto; border: 1px solid var(--line);
                         border-radius: 6px; }
            figcaption { color: var(--muted); font-size: .92rem; margin-top: .55rem; }
            figcaption strong { color: var(--fg); }
            figcaption .note { display: block; color: var(--warn); }
            figcaption .files { display: block; font-size: .85rem; }
            .table-wrap { overflow-x: auto; margin: 1.2rem 0; }
            table { border-collapse: collapse; font-size: .95rem; }
            caption { caption-side: top; text-align: left; color: var(--muted); font-size: .92rem;
                      padding-bottom: .4rem; }
            th, td { padding: .38rem .85rem; border-bottom: 1px solid var(--line); text-align: left;
                     vertical-align: top; }
            thead th { background: var(--soft); border-bottom: 2px solid #9198a1; font-weight: 600; }
            tbody tr:nth-child(even) { background: #fafbfc; }
            .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            table.kv th { font-weight: 600; white-space: nowrap; background: none; }
            table.kv tr:nth-child(even) { background: none; }
            .pre { margin: 1.2rem 0; }
            .pre-title { font-weight: 600; font-size: .92rem; margin-bottom: .3rem; }
            pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; margin: 0;
                  padding: .8rem 1rem; overflow-x: auto;
                  font: 13px/1.45 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
            pre.command { white-space: pre-wrap; word-break: break-all; }
            @media print {
              main { max-width: none; padding: 0; }
              figure, .table-wrap, pre { break-inside: avoid; }
              .conclusions { background: none; }
            }
            """;
}

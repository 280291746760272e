"""Writing a :class:`~cybrelia.report.document.Document` as HTML or Markdown.

The HTML is one self-contained file: the charts are embedded as base64 PNG
data, the stylesheet is inline, and nothing refers to another file or to the
network (even addresses quoted in scenario texts are written so that no
``http://`` or ``https://`` appears).  It prints on A4: charts and table rows
are not split across pages, and table headers repeat.  The Markdown refers to
the charts as PNG files beside it.
"""

from __future__ import annotations

import base64
import html

from cybrelia.i18n import text
from cybrelia.report.document import Bullets, Chart, Document, Heading, Paragraph, Table

__all__ = ["CSS", "to_html", "to_markdown"]

#: The report's stylesheet, for the screen and for print.
CSS = """
:root { color-scheme: light; }
body {
  font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif;
  max-width: 62rem; margin: 2rem auto; padding: 0 1.2rem;
  color: #111; background: #fff; line-height: 1.45; font-size: 11pt;
}
h1 { font-size: 1.7rem; border-bottom: 3px solid #0072B2; padding-bottom: .3rem; }
h2 { font-size: 1.35rem; border-bottom: 1px solid #0072B2; margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
h4 { font-size: 1rem; margin-top: 1.3rem; }
p.meta { color: #444; font-size: 9.5pt; }
p.small { font-size: 9.5pt; color: #333; white-space: pre-line;
          border-left: 3px solid #ccc; padding-left: .6rem; }
nav.toc { background: #f5f7fa; border: 1px solid #d8dee6; padding: .6rem 1rem; }
nav.toc ol { margin: .2rem 0; }
nav.toc a { color: #0b4f7c; text-decoration: none; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1.2rem; font-size: 9.5pt; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: .2rem 0; }
th, td { border: 1px solid #b9c0c8; padding: .22rem .45rem; text-align: left;
         vertical-align: top; }
th { background: #e8eef5; }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0 1.6rem; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 9pt; color: #444; margin-top: .25rem; }
ul li { margin: .15rem 0; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
  nav.toc { break-after: page; page-break-after: always; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  figure img { max-height: 245mm; width: auto; max-width: 100%; border: none; }
  tr, th, td { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"""


def _escape(value: str) -> str:
    """HTML-escaped text in which no address (``scheme://``) survives literally."""
    return html.escape(value).replace("://", ":&#47;&#47;")


def to_html(document: Document, *, toc_depth: int = 1, meta: str | None = None) -> str:
    """The report as one self-contained HTML page.

    Parameters
    ----------
    document
        The report.
    toc_depth
        Heading levels listed in the table of contents.
    meta
        The line under the title (default: generated from the session journal).
    """
    lang = document.lang
    meta = text("report.generated", lang) if meta is None else meta
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_escape(document.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_escape(document.title)}</h1>",
        f'<p class="meta">{_escape(meta)}</p>',
        "</header>",
    ]
    toc = [h for h in document.headings() if h.level <= toc_depth]
    if toc:
        out.append(f'<nav class="toc"><strong>{_escape(text("report.contents", lang))}</strong>')
        out.append(_toc(toc))
        out.append("</nav>")
    out.append("<main>")
    for block in document.blocks:
        if isinstance(block, Heading):
            level = min(block.level + 1, 6)
            out.append(f'<h{level} id="{_escape(block.anchor)}">{_escape(block.text)}</h{level}>')
        elif isinstance(block, Paragraph):
            css = ' class="small"' if block.small else ""
            out.append(f"<p{css}>{_escape(block.text)}</p>")
        elif isinstance(block, Bullets):
            items = "".join(f"<li>{_escape(item)}</li>" for item in block.items)
            out.append(f"<ul>{items}</ul>")
        elif isinstance(block, Table):
            out.append(_html_table(block))
        elif isinstance(block, Chart):
            data = base64.b64encode(block.png).decode("ascii")
            out.append(
                f'<figure id="fig-{_escape(block.name)}">'
                f'<img alt="{_escape(block.caption)}" src="data:image/png;base64,{data}">'
                f"<figcaption>{_escape(block.caption)}</figcaption></figure>"
            )
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


def _toc(headings: list[Heading]) -> str:
    """Nested ordered lists of the headings."""
    parts: list[str] = []
    depth = 0
    top = min(h.level for h in headings)
    for heading in headings:
        level = heading.level - top + 1
        if level > depth:
            parts.append("<ol>" * (level - depth))
        else:
            parts.append("</li>")
            parts.append("</ol></li>" * (depth - level))
        depth = level
        parts.append(f'<li><a href="#{_escape(heading.anchor)}">{_escape(heading.text)}</a>')
    parts.append("</li>" + "</ol></li>" * (depth - 1) + "</ol>")
    return "".join(parts)


def _html_table(table: Table) -> str:
    out = ["<table>"]
    if table.caption:
        out.append(f"<caption>{_escape(table.caption)}</caption>")
    if any(table.columns):
        head = "".join(f"<th>{_escape(c)}</th>" for c in table.columns)
        out.append(f"<thead><tr>{head}</tr></thead>")
    out.append("<tbody>")
    for row in table.rows:
        cells = "".join(
            f'<td class="num">{_escape(cell)}</td>'
            if index in table.numeric
            else f"<td>{_escape(cell)}</td>"
            for index, cell in enumerate(row)
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _md_text(value: str) -> str:
    """Text for Markdown in which no markup from a scenario survives.

    HTML is written as entities, so ``<script>`` or ``<img onerror=...>`` shows
    as text; brackets are escaped, so no link or image (``![](http://...)``,
    which a viewer would fetch) can be formed.
    """
    return html.escape(value, quote=False).replace("[", "\\[").replace("]", "\\]")


def _md_cell(value: str) -> str:
    text = value.replace("\\", "\\\\").replace("|", "\\|")
    return _md_text(text).replace("\n", "<br>").strip()


def _md_anchor(anchor: str) -> str:
    return html.escape(anchor, quote=True)


def to_markdown(document: Document, *, toc_depth: int = 1, meta: str | None = None) -> str:
    """The report as Markdown, with the charts as ``NAME.png`` files beside it."""
    lang = document.lang
    meta = text("report.generated", lang) if meta is None else meta
    out = [f"# {_md_text(document.title)}", "", f"*{_md_text(meta)}*", ""]
    toc = [h for h in document.headings() if h.level <= toc_depth]
    if toc:
        out += [f"**{text('report.contents', lang)}**", ""]
        top = min(h.level for h in toc)
        counters: list[int] = []
        for heading in toc:
            depth = heading.level - top
            counters = counters[: depth + 1]
            while len(counters) <= depth:
                counters.append(0)
            counters[depth] += 1
            link = f"[{_md_text(heading.text)}](#{_md_anchor(heading.anchor)})"
            out.append(f"{'   ' * depth}{counters[depth]}. {link}")
        out.append("")
    for block in document.blocks:
        if isinstance(block, Heading):
            level = min(block.level + 1, 6)
            anchor = f'<a id="{_md_anchor(block.anchor)}"></a>'
            out += [anchor, "", f"{'#' * level} {_md_text(block.text)}", ""]
        elif isinstance(block, Paragraph):
            body = _md_text(block.text)
            if block.small:
                out += ["> " + line if line else ">" for line in body.splitlines()]
            else:
                out.append(body)
            out.append("")
        elif isinstance(block, Bullets):
            out += [f"- {_md_cell(item)}" for item in block.items]
            out.append("")
        elif isinstance(block, Table):
            if block.caption:
                out += [f"**{_md_text(block.caption)}**", ""]
            out.append("| " + " | ".join(_md_cell(c) or " " for c in block.columns) + " |")
            out.append(
                "|"
                + "|".join(
                    "---:" if i in block.numeric else "---" for i in range(len(block.columns))
                )
                + "|"
            )
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
            out.append("")
        elif isinstance(block, Chart):
            out += [f"![{_md_cell(block.caption)}]({block.name}.png)", ""]
    return "\n".join(out).rstrip() + "\n"

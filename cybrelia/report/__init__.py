"""The after-action report of one session, or of several compared.

:func:`write_report` writes ``report.html`` (self-contained, printable),
``report.md`` with its charts as PNG files beside it, and optionally
``report.xlsx`` (every frame, one sheet each).  :func:`cli_report` is the
``cybrelia report`` command's body.  See ``docs/analysis.md``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cybrelia.analysis.frames import SessionData, load_session
from cybrelia.files.sanitize import slug
from cybrelia.i18n import LANGUAGES, say
from cybrelia.report.document import SECTIONS, Document, build_document, improvement_plan
from cybrelia.report.render import to_html, to_markdown

__all__ = [
    "SECTIONS",
    "Document",
    "build_document",
    "cli_report",
    "improvement_plan",
    "slug",
    "to_html",
    "to_markdown",
    "write_document",
    "write_report",
]

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def write_report(
    sessions: Sequence[SessionData],
    out: str | os.PathLike[str],
    lang: str = "pl",
    *,
    xlsx: bool = False,
    labels: Sequence[str] | None = None,
) -> list[Path]:
    """Write the report of ``sessions`` into the directory ``out``.

    Parameters
    ----------
    sessions
        One session, or several to compare.
    out
        The output directory (created if needed); files of the same names are
        replaced.
    lang
        ``pl`` or ``en``.
    xlsx
        Also write ``report.xlsx`` (needs ``openpyxl``).
    labels
        Names of the sessions in a comparison.

    Returns
    -------
    list of pathlib.Path
        ``report.html``, ``report.md``, the charts' PNG files, and ``report.xlsx``.
    """
    target = Path(out)
    document = build_document(sessions, lang, labels=labels)
    written = write_document(document, target, toc_depth=2 if len(sessions) > 1 else 1)
    if xlsx:
        from cybrelia.report.xlsx import write_xlsx

        written.append(write_xlsx(sessions, target / "report.xlsx", labels, lang))
    return written


def write_document(
    document: Document, target: Path, *, toc_depth: int = 1, meta: str | None = None
) -> list[Path]:
    """Write a report's ``report.html``, ``report.md`` and chart files into ``target``.

    ``meta`` is the line under the title (by default: generated from the session journal).
    """
    target.mkdir(parents=True, exist_ok=True)
    html_path = target / "report.html"
    md_path = target / "report.md"
    html_path.write_text(to_html(document, toc_depth=toc_depth, meta=meta), encoding="utf-8")
    md_path.write_text(to_markdown(document, toc_depth=toc_depth, meta=meta), encoding="utf-8")
    written = [html_path, md_path]
    for chart in document.charts():
        path = target / f"{chart.name}.png"
        path.write_bytes(chart.png)
        written.append(path)
    return written


def cli_report(
    sessions: list[Path], out: Path, lang: str, xlsx: bool, labels: list[str] | None = None
) -> int:
    """Body of ``cybrelia report``: replay the sessions and write their report into ``out``.

    Prints nothing on stdout; the files written (or the problem) go to stderr.

    Returns
    -------
    int
        0 when written, 1 for a session that cannot be read or a directory that
        cannot be written, 2 for a usage error (no session, unknown language,
        ``--xlsx`` without ``openpyxl``).
    """
    if lang not in LANGUAGES:
        say("cli.unknown_language", lang=repr(lang))
        return EXIT_USAGE
    if not sessions:
        say("cli.no_session_given")
        return EXIT_USAGE
    if labels and len(labels) != len(sessions):
        say("cli.labels_per_session", sessions=len(sessions), labels=len(labels))
        return EXIT_USAGE
    if xlsx and importlib.util.find_spec("openpyxl") is None:
        say("cli.xlsx_needs_openpyxl")
        return EXIT_USAGE
    from cybrelia.exercise.journal import JournalError
    from cybrelia.files.diagnostics import ValidationFailed

    loaded = []
    for path in sessions:
        try:
            loaded.append(load_session(path))
        except JournalError as error:
            say("cli.error", error=error.text)
            return EXIT_INVALID
        except ValidationFailed as failure:
            for diagnostic in failure.diagnostics:
                print(f"{path}: {diagnostic}", file=sys.stderr)
            return EXIT_INVALID
    try:
        written = write_report(loaded, out, lang, xlsx=xlsx, labels=labels or None)
    except OSError as error:
        say("cli.cannot_write", path=out, reason=error.strerror or error)
        return EXIT_INVALID
    for path in written:
        print(path, file=sys.stderr)
    return EXIT_OK

"""Problems found in user files, reported as ``FILE:LINE: PATH: message``.

Validation collects every problem before it reports, so an author fixes a
file in one pass rather than one error per run.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = ["Diagnostic", "ValidationFailed", "did_you_mean", "format_path"]

Severity = Literal["error", "warning"]
PathPart = str | int


def format_path(path: Sequence[PathPart]) -> str:
    """Render a location inside a document: ``assets[7].needs.power.from[0]``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(document)"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located by file, line and path inside the document."""

    file: str
    line: int
    path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.file}:{self.line}: {self.path}: {prefix}{self.message}"


class ValidationFailed(Exception):
    """Raised when files have errors; carries all of them, in file order."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=_file_order)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @property
    def errors(self) -> list[Diagnostic]:
        """Only the diagnostics that make the input unusable."""
        return [d for d in self.diagnostics if d.severity == "error"]


def _file_order(diagnostic: Diagnostic) -> tuple[str, int, str, str]:
    return (diagnostic.file, diagnostic.line, diagnostic.path, diagnostic.message)


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the closest of ``choices``, or nothing.

    The closest is the same whatever the order of ``choices`` (the best ratio, then
    the greatest name), so they are not sorted first: a model's 100,000 asset ids
    would be sorted again for every typo.
    """
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""

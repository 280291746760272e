"""Making text from files harmless where it goes: file names, spreadsheets, messages.

Scenario and session texts come from people who may be careless or hostile.
Where such text becomes a path it is reduced to a slug; where it becomes a
spreadsheet cell it is kept from starting a formula (the OWASP advice against
CSV injection); where an error message quotes a file that is not a model, it
quotes one line at most.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["FORMULA_PREFIXES", "cell_text", "folded", "literal_cells", "one_line", "slug"]

#: A cell whose text starts with one of these is read as a formula by spreadsheet
#: programs (OWASP: equals, plus, minus, at, tab and carriage return).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
#: The one Polish letter Unicode does not decompose into a base letter and a mark: l with
#: stroke (U+0142); the others (a with ogonek, s with acute...) lose their mark by NFKD.
_STROKE = {0x0142: "l"}


def _unmarked(lowered: str) -> str:
    """Lower-case ``lowered`` without its diacritics (``ł`` -> ``l`` as well)."""
    decomposed = unicodedata.normalize("NFKD", lowered.translate(_STROKE))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def folded(value: str) -> str:
    """``value`` as a search compares it: case and diacritics ignored (``Góra`` = ``gora``).

    A facilitator types a name as it comes, often without the Polish marks.
    """
    return _unmarked(value.casefold())


def slug(value: str, default: str = "session") -> str:
    """A file- and anchor-safe version of ``value``: lower case, ``-`` between words.

    The result has no ``/``, ``\\``, ``..`` or leading dot, so it names a file
    inside the folder it is joined to; an empty result becomes ``default``.
    """
    return _NOT_SLUG.sub("-", _unmarked(value.lower())).strip("-") or default


def cell_text(value: str) -> str:
    """``value`` as a spreadsheet cell that no program evaluates.

    Text that would start a formula gets a leading apostrophe, as OWASP
    advises for CSV; the XLSX writers also store such cells as plain strings.
    """
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def literal_cells(sheet: Worksheet) -> None:
    """Store every text cell of ``sheet`` as the text it is, never as a formula.

    openpyxl takes a string starting with ``=`` for a formula; such cells, and
    every text starting with another formula prefix, become plain strings
    with Excel's "quote prefix" style, so they show and edit as text.
    """
    for row in sheet.iter_rows():
        for cell in row:
            value = cell.value
            if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
                cell.data_type = "s"
                cell.quotePrefix = True


def one_line(text: str, limit: int = 200) -> str:
    """The first line of ``text``, cut to ``limit`` characters, for quoting in a message."""
    line = text.splitlines()[0] if text else ""
    more = len(line) > limit or "\n" in text.strip("\n")
    return line[:limit] + (" ..." if more else "")

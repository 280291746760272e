"""The master scenario events list as a spreadsheet (XLSX or CSV), both ways.

Crisis officers plan exercises in spreadsheets.  ``cybrelia msel export``
lays a scenario's injects out one per row, as a facilitator would: time or
condition, teams, channel, title and message in both languages, effects and
expectations (the last two as compact YAML in their cells).  ``cybrelia msel
import`` reads such a sheet back into a scenario file, replacing its
``injects`` block and keeping the rest of the file as it was.  Export then
import gives an identical scenario.  Errors name the sheet, row and column.

Cells are written so that no spreadsheet program evaluates them: text that
would start a formula (``=``, ``+``, ``-``, ``@``) is stored as text in XLSX
and gets a leading apostrophe in CSV, which import takes off again.  Import
reads CSV in UTF-8 (with or without BOM), UTF-16 or Windows-1250, replaces
the scenario atomically only once the whole sheet is valid, keeps the file
it replaced as ``NAME.yaml.bak``, and refuses a sheet without injects unless
asked (``allow_empty``).  See ``docs/reliability.md``.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from cybrelia.files.diagnostics import Diagnostic, ValidationFailed
from cybrelia.files.durations import format_duration, parse_duration
from cybrelia.files.limits import MAX_FILE_BYTES
from cybrelia.files.sanitize import FORMULA_PREFIXES, cell_text, literal_cells
from cybrelia.files.scenario import Inject
from cybrelia.files.source import read_document
from cybrelia.files.validation import check_file, load_scenario

__all__ = [
    "COLUMNS",
    "SHEET",
    "backup_path",
    "export_msel",
    "import_msel",
    "read_rows",
    "scenario_rows",
]

SHEET = "MSEL"
#: The columns of the sheet, in order.
COLUMNS = (
    "id",
    "at",
    "when",
    "to",
    "channel",
    "title_pl",
    "title_en",
    "message_pl",
    "message_en",
    "effects",
    "expect",
)
_BILINGUAL = {"title_pl": ("title", "pl"), "title_en": ("title", "en"),
              "message_pl": ("message", "pl"), "message_en": ("message", "en")}  # fmt: skip


def _flow(value: Any) -> str:
    """Compact one-line YAML for a cell."""
    text: str = yaml.safe_dump(
        value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6
    )
    return text.strip().removesuffix("...").strip()


def _duration_text(hours: float) -> str:
    """Hours as people write them, exact: ``1h30m``, or ``0.123h`` off the minute grid."""
    minutes = hours * 60
    if abs(minutes - round(minutes)) < 1e-6:
        return format_duration(hours)
    return f"{hours!r}h"


#: Keys whose values are durations, written back as ``2h30m`` rather than hours.
_DURATION_KEYS = frozenset({"at", "within", "every", "for", "after"})


def _durations_as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _duration_text(v)
            if k in _DURATION_KEYS and isinstance(v, int | float)
            else _durations_as_text(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_durations_as_text(item) for item in value]
    return value


def scenario_rows(injects: list[Inject]) -> list[dict[str, str]]:
    """One row per inject, in scenario order."""
    rows = []
    for inject in injects:
        data = _durations_as_text(inject.model_dump(by_alias=True, exclude_none=True))
        row = dict.fromkeys(COLUMNS, "")
        row["id"] = inject.id
        row["at"] = _duration_text(inject.at) if inject.at is not None else ""
        row["when"] = _flow(data["when"]) if "when" in data else ""
        row["to"] = ", ".join(inject.to)
        row["channel"] = inject.channel or ""
        for column, (field, lang) in _BILINGUAL.items():
            row[column] = data.get(field, {}).get(lang, "")
        row["effects"] = _flow(data["effects"]) if data.get("effects") else ""
        row["expect"] = _flow(data["expect"]) if data.get("expect") else ""
        rows.append(row)
    return rows


def export_msel(scenario_path: str | os.PathLike[str], out: str | os.PathLike[str]) -> Path:
    """Write a scenario's injects to ``out`` (``.xlsx`` or ``.csv``)."""
    loaded = load_scenario(scenario_path)
    rows = scenario_rows(loaded.scenario.injects)
    target = Path(out)
    if target.suffix.lower() == ".csv":
        with target.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows({k: cell_text(v) for k, v in row.items()} for row in rows)
        return target
    if target.suffix.lower() != ".xlsx":
        raise ValueError(f"{target}: write .xlsx or .csv")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row[column] for column in COLUMNS])
    widths = {"id": 10, "at": 8, "when": 30, "to": 16, "channel": 12, "effects": 40, "expect": 60}
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(column, 45)
        sheet.cell(row=1, column=index).font = Font(bold=True)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    teams = book.create_sheet("Teams")
    teams.append(["id", "name_pl", "name_en", "role", "sectors"])
    for team in loaded.scenario.teams:
        teams.append([team.id, team.name.pl, team.name.en, team.role, ", ".join(team.sectors)])
    for written in (sheet, teams):
        literal_cells(written)
    book.save(target)
    return target


def read_rows(path: str | os.PathLike[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """The sheet's rows with their spreadsheet row numbers (the header is row 1)."""
    source = Path(path)
    if source.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(_csv_text(source)))
        try:
            _check_header(source, list(reader.fieldnames or []))
            for number, row in enumerate(reader, start=2):
                yield (
                    number,
                    {k: _uncell((v or "").strip()) for k, v in row.items() if isinstance(k, str)},
                )
        except csv.Error as error:
            raise ValidationFailed(
                [Diagnostic(str(source), reader.line_num, f"{SHEET}.(row)", f"bad CSV: {error}")]
            ) from None
        return
    from openpyxl import load_workbook

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ValidationFailed(
            [Diagnostic(str(source), 0, "(file)", f"not a readable .xlsx file ({error})")]
        ) from None
    if SHEET not in book.sheetnames:
        raise ValidationFailed([Diagnostic(str(source), 0, "(file)", f"no sheet named {SHEET!r}")])
    values = book[SHEET].iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(values, ())]
    _check_header(source, header)
    for number, cells in enumerate(values, start=2):
        row = {
            header[i]: "" if cell is None else str(cell).strip()
            for i, cell in enumerate(cells)
            if i < len(header) and header[i]
        }
        if any(row.values()):
            yield number, row
    book.close()


#: Encodings a CSV sheet may come in, tried in order after its byte-order mark:
#: Excel's "CSV UTF-8", plain UTF-8, and what Excel on Polish Windows writes.
_CSV_ENCODINGS = ("utf-8", "cp1250")


def _csv_text(source: Path) -> str:
    """The text of a CSV sheet in any common encoding, or a clear error."""
    try:
        if source.stat().st_size > MAX_FILE_BYTES:
            raise ValidationFailed(
                [Diagnostic(str(source), 0, "(file)", f"larger than {MAX_FILE_BYTES >> 20} MiB")]
            )
        data = source.read_bytes()
    except OSError as error:
        raise ValidationFailed(
            [Diagnostic(str(source), 0, "(file)", error.strerror or str(error))]
        ) from None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                break
    else:
        if b"\0" not in data:
            for encoding in _CSV_ENCODINGS:
                try:
                    return data.decode(encoding)
                except UnicodeDecodeError:
                    continue
    raise ValidationFailed(
        [
            Diagnostic(
                str(source),
                0,
                "(file)",
                "not a text CSV file in UTF-8, UTF-16 or Windows-1250; "
                "save the sheet as CSV UTF-8 or as .xlsx",
            )
        ]
    )


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _uncell(value: str) -> str:
    """A CSV cell's text without the apostrophe that export put before a formula prefix."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def _check_header(source: Path, header: list[str]) -> None:
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    problems = []
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s): {', '.join(unknown)}")
    if problems:
        raise ValidationFailed(
            [Diagnostic(str(source), 1, f"{SHEET}.(header)", "; ".join(problems))]
        )


def _injects_from_rows(path: Path) -> tuple[list[dict[str, Any]], list[int], list[Diagnostic]]:
    injects: list[dict[str, Any]] = []
    numbers: list[int] = []
    problems: list[Diagnostic] = []

    def problem(number: int, column: str, message: str) -> None:
        problems.append(Diagnostic(str(path), number, f"{SHEET}.{column}", message))

    for number, row in read_rows(path):
        inject: dict[str, Any] = {"id": row.get("id", "")}
        if row.get("at"):
            try:
                parse_duration(row["at"])
                inject["at"] = row["at"]
            except ValueError as error:
                problem(number, "at", str(error))
        parsed: dict[str, Any] = {}
        for column in ("when", "effects", "expect"):
            if row.get(column):
                try:
                    parsed[column] = yaml.safe_load(row[column])
                except yaml.YAMLError as error:
                    problem(number, column, f"invalid YAML: {str(error).splitlines()[0]}")
        if "when" in parsed:
            inject["when"] = parsed["when"]
        for column, (field, lang) in _BILINGUAL.items():
            if row.get(column):
                inject.setdefault(field, {})[lang] = row[column]
        if row.get("to"):
            inject["to"] = [team.strip() for team in row["to"].split(",") if team.strip()]
        if row.get("channel"):
            inject["channel"] = row["channel"]
        for column in ("effects", "expect"):
            if column in parsed:
                inject[column] = parsed[column]
        try:
            Inject.model_validate(inject)
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                loc = [str(part) for part in detail["loc"]]
                column = _column_of(loc)
                message = str(detail["msg"]).removeprefix("Value error, ")
                where = ".".join(loc[1:]) if len(loc) > 1 else ""
                problem(number, column, f"{message}" + (f" (at {where})" if where else ""))
        injects.append(inject)
        numbers.append(number)
    return injects, numbers, problems


def _column_of(loc: list[str]) -> str:
    if not loc:
        return "(row)"
    if loc[0] in ("title", "message") and len(loc) > 1 and loc[1] in ("pl", "en"):
        return f"{loc[0]}_{loc[1]}"
    return loc[0] if loc[0] in COLUMNS else "(row)"


def _injects_block(injects: list[dict[str, Any]]) -> str:
    class _Dumper(yaml.SafeDumper):
        pass

    def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _text)
    body = yaml.dump(
        injects, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2
    )
    indented = "".join(f"  {line}" if line.strip() else line for line in body.splitlines(True))
    return "injects:\n" + indented


_TOP_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:")


def _replace_injects(text: str, block: str) -> str:
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"^injects\s*:", line)), None)
    if start is None:
        return text.rstrip("\n") + "\n" + block
    end = next((i for i in range(start + 1, len(lines)) if _TOP_KEY.match(lines[i])), len(lines))
    return "".join(lines[:start]) + block + "".join(lines[end:])


def import_msel(
    sheet: str | os.PathLike[str],
    scenario: str | os.PathLike[str],
    *,
    allow_empty: bool = False,
) -> int:
    """Replace the scenario's injects with the sheet's rows; returns how many.

    The new scenario is checked as a whole (teams, assets, branches) before the
    file is replaced; problems are reported by sheet, row and column.  The
    replacement is atomic (written beside the scenario, then renamed over it),
    and the file it replaced is kept as ``NAME.yaml.bak``.

    Parameters
    ----------
    sheet
        The ``.xlsx`` or ``.csv`` sheet.
    scenario
        The scenario file whose ``injects`` are replaced.
    allow_empty
        Accept a sheet without injects (which empties the scenario's list).

    Raises
    ------
    ValidationFailed
        With every problem found; the scenario file is then left untouched.
    """
    sheet_path = Path(sheet)
    scenario_path = Path(scenario)
    for path in (sheet_path, scenario_path):
        if not path.is_file():
            why = "is a directory" if path.is_dir() else "file not found"
            raise ValidationFailed([Diagnostic(str(path), 0, "(file)", why)])
    read_document(scenario_path)  # a scenario is UTF-8 YAML: else a located error, no change
    injects, numbers, problems = _injects_from_rows(sheet_path)
    if problems:
        raise ValidationFailed(problems)
    if not injects and not allow_empty:
        raise ValidationFailed(
            [
                Diagnostic(
                    str(sheet_path),
                    1,
                    f"{SHEET}.(rows)",
                    f"the sheet has no injects; importing it would remove every inject of "
                    f"{scenario_path.name} (use --allow-empty if that is meant)",
                )
            ]
        )
    text = scenario_path.read_text(encoding="utf-8")
    updated = _replace_injects(text, _injects_block(injects))
    try:
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            prefix=f".{scenario_path.name}.",
            suffix=f".partial{scenario_path.suffix}",  # validation reads by the suffix
            dir=scenario_path.parent,
            delete=False,
        ) as handle:
            candidate = Path(handle.name)
            handle.write(updated)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise ValidationFailed(
            [Diagnostic(str(scenario_path), 0, "(file)", f"cannot write: {error.strerror}")]
        ) from None
    try:
        errors = [d for d in check_file(candidate) if d.severity == "error"]
        if errors:
            raise ValidationFailed([_to_sheet(d, candidate, sheet_path, numbers) for d in errors])
        shutil.copy2(scenario_path, backup_path(scenario_path))
        os.replace(candidate, scenario_path)
    except OSError as error:
        raise ValidationFailed(
            [Diagnostic(str(scenario_path), 0, "(file)", f"cannot write: {error.strerror}")]
        ) from None
    finally:
        candidate.unlink(missing_ok=True)
    return len(injects)


def backup_path(scenario: Path) -> Path:
    """Where :func:`import_msel` keeps the scenario file it replaced."""
    return scenario.with_name(scenario.name + ".bak")


def _to_sheet(
    diagnostic: Diagnostic, candidate: Path, sheet: Path, numbers: list[int]
) -> Diagnostic:
    """Point a problem of the merged scenario back at the sheet's row and column."""
    match = re.match(r"injects\[(\d+)\]\.?([\w]*)(.*)", diagnostic.path)
    if diagnostic.file != str(candidate) or match is None:
        return diagnostic
    index, field, rest = int(match.group(1)), match.group(2), match.group(3)
    column = field if field in COLUMNS else "(row)"
    detail = f" (at {field}{rest})" if rest else ""
    return Diagnostic(str(sheet), numbers[index], f"{SHEET}.{column}", diagnostic.message + detail)

"""The master scenario events list as a spreadsheet (XLSX or CSV), both ways.

Crisis officers plan exercises in spreadsheets.  ``cybrelia msel export``
lays a scenario's injects out one per row, as a facilitator would: time or
condition, teams, channel, title and message in both languages, effects and
expectations (the last two as compact YAML in their cells).  ``cybrelia msel
import`` reads such a sheet back into a scenario file, replacing its
``injects`` block and keeping the rest of the file as it was.  Export then
import gives an identical scenario.  Errors name the sheet, row and column.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from cybrelia.files.diagnostics import Diagnostic, ValidationFailed
from cybrelia.files.durations import format_duration, parse_duration
from cybrelia.files.scenario import Inject
from cybrelia.files.validation import check_file, load_scenario

__all__ = ["COLUMNS", "SHEET", "export_msel", "import_msel", "read_rows", "scenario_rows"]

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
            writer.writerows(rows)
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
    book.save(target)
    return target


def read_rows(path: str | os.PathLike[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """The sheet's rows with their spreadsheet row numbers (the header is row 1)."""
    source = Path(path)
    if source.suffix.lower() == ".csv":
        text = source.read_text(encoding="utf-8-sig")
        reader = csv.DictReader(io.StringIO(text))
        _check_header(source, list(reader.fieldnames or []))
        for number, row in enumerate(reader, start=2):
            yield number, {k: (v or "").strip() for k, v in row.items() if k is not None}
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


def import_msel(sheet: str | os.PathLike[str], scenario: str | os.PathLike[str]) -> int:
    """Replace the scenario's injects with the sheet's rows; returns how many.

    The new scenario is checked as a whole (teams, assets, branches) before the
    file is replaced; problems are reported by sheet, row and column.

    Raises
    ------
    ValidationFailed
        With every problem found; the scenario file is then left untouched.
    """
    sheet_path = Path(sheet)
    scenario_path = Path(scenario)
    if not sheet_path.is_file():
        raise ValidationFailed([Diagnostic(str(sheet_path), 0, "(file)", "file not found")])
    injects, numbers, problems = _injects_from_rows(sheet_path)
    if problems:
        raise ValidationFailed(problems)
    original = scenario_path.read_text(encoding="utf-8")
    updated = _replace_injects(original, _injects_block(injects))
    with tempfile.NamedTemporaryFile(
        "w",
        encoding="utf-8",
        suffix=scenario_path.suffix,
        dir=scenario_path.parent,
        delete=False,
    ) as handle:
        handle.write(updated)
        candidate = Path(handle.name)
    try:
        errors = [d for d in check_file(candidate) if d.severity == "error"]
        if errors:
            raise ValidationFailed([_to_sheet(d, candidate, sheet_path, numbers) for d in errors])
        os.replace(candidate, scenario_path)
    finally:
        candidate.unlink(missing_ok=True)
    return len(injects)


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

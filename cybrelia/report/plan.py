"""The improvement plan tracked across the exercises of a programme (``cybrelia ip import``).

The report's spreadsheet has an ``improvement_plan`` sheet (HSEEP: capability,
capability element, corrective action, responsible organisation and contact,
start and completion dates, status).  The programme's owners edit it and
import it into one tracker, a CSV file that holds every exercise's items:
an item is known by its scenario, session and source (the expectation or the
rated inject), so importing a sheet again updates its items and importing the
next exercise's sheet adds to them.  Nothing is written unless every row is
valid; the errors name the file, the row and the column.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from cybrelia.report.document import PLAN_COLUMNS

__all__ = ["ELEMENTS", "STATUSES", "TRACKER_COLUMNS", "PlanError", "import_plan"]

#: HSEEP capability elements.
ELEMENTS = ("planning", "organisation", "equipment", "training", "exercise")
#: Where an item stands.
STATUSES = ("open", "in_progress", "done")
#: The tracker's columns: the sheet's, the key first.
TRACKER_COLUMNS = ("scenario", "session", *PLAN_COLUMNS)
_KEY = ["scenario", "session", "source"]
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PlanError(Exception):
    """A sheet that cannot be imported, with every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _read_sheet(path: Path) -> pd.DataFrame:
    try:
        sheet = pd.read_excel(path, sheet_name="improvement_plan", dtype=str)
    except ValueError as error:
        raise PlanError([f"{path}: no improvement_plan sheet ({error})"]) from None
    return sheet.fillna("")


def _problems(path: Path, sheet: pd.DataFrame) -> list[str]:
    missing = [c for c in TRACKER_COLUMNS if c not in sheet.columns]
    if missing:
        return [f"{path}: improvement_plan: missing column(s) {', '.join(missing)}"]
    out = []
    for number, row in enumerate(sheet.to_dict("records"), start=2):  # row 1: the header
        where = f"{path}: improvement_plan row {number}"
        for column in ("scenario", "source"):
            if not str(row[column]).strip():
                out.append(f"{where}: {column}: required")
        if row["element"] not in ELEMENTS:
            out.append(f"{where}: element: {row['element']!r} is not one of {', '.join(ELEMENTS)}")
        if row["status"] not in STATUSES:
            out.append(f"{where}: status: {row['status']!r} is not one of {', '.join(STATUSES)}")
        for column in ("start", "completion"):
            value = str(row[column]).strip()[:10]
            if value and not _DATE.match(value):
                out.append(f"{where}: {column}: {row[column]!r} is not a date (YYYY-MM-DD)")
        start, completion = str(row["start"])[:10], str(row["completion"])[:10]
        if _DATE.match(start) and _DATE.match(completion) and completion < start:
            out.append(f"{where}: completion: {completion} is before the start {start}")
    duplicated = sheet[sheet.duplicated(_KEY, keep=False)]
    for number in duplicated.index:
        out.append(f"{path}: improvement_plan row {number + 2}: the same item appears twice")
    return out


def import_plan(
    sheet_path: str | os.PathLike[str], tracker: str | os.PathLike[str]
) -> pd.DataFrame:
    """Merge the ``improvement_plan`` sheet of a report's workbook into ``tracker``.

    Returns
    -------
    pandas.DataFrame
        The tracker as written: its items, new and updated, by scenario, session, source.

    Raises
    ------
    PlanError
        Naming every invalid row (the tracker is then left as it was).
    """
    source, target = Path(sheet_path), Path(tracker)
    sheet = _read_sheet(source)
    problems = _problems(source, sheet)
    if problems:
        raise PlanError(problems)
    sheet = sheet[list(TRACKER_COLUMNS)].assign(
        start=lambda f: f["start"].str[:10], completion=lambda f: f["completion"].str[:10]
    )
    if target.exists():
        known = pd.read_csv(target, dtype=str).fillna("")
        kept = known.merge(sheet[_KEY], on=_KEY, how="left", indicator=True)
        known = known[(kept["_merge"] == "left_only").to_numpy()]
        sheet = pd.concat([known[list(TRACKER_COLUMNS)], sheet], ignore_index=True)
    merged = sheet.sort_values(_KEY, kind="stable").reset_index(drop=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    merged.to_csv(partial, index=False)
    partial.replace(target)
    return merged

